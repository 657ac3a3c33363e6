"""numerical_gradient copies x first "so as not to change the caller's array": loss_fn reads the original, never sees a change, and every entry of the gradient is 0."""
# base: solution
# expect: fail test_numerical_gradient_visible test_numerical_gradient_hidden test_numerical_gradient_views_hidden
# %% numerical_gradient
def numerical_gradient(loss_fn, x, eps=1e-6):
    x = x.copy()   # leave the caller's array alone
    grad = np.zeros(x.shape)
    for index in np.ndindex(x.shape):
        saved = x[index]
        x[index] = saved + eps
        loss_plus = loss_fn()
        x[index] = saved - eps
        loss_minus = loss_fn()
        x[index] = saved
        grad[index] = (loss_plus - loss_minus) / (2 * eps)
    return grad
