"""numerical_gradient always steps by h = 1e-4 (the value of the book's own numerical_gradient) and ignores the eps it is given."""
# base: solution
# expect: fail test_numerical_gradient_visible test_numerical_gradient_hidden test_numerical_gradient_views_hidden
# %% numerical_gradient
def numerical_gradient(loss_fn, x, eps=1e-6):
    h = 1e-4
    grad = np.zeros(x.shape)
    for index in np.ndindex(x.shape):
        saved = x[index]
        x[index] = saved + h
        loss_plus = loss_fn()
        x[index] = saved - h
        loss_minus = loss_fn()
        x[index] = saved
        grad[index] = (loss_plus - loss_minus) / (2 * h)
    return grad
