"""numerical_gradient takes a forward difference, (L(x + eps) - L(x)) / eps: its error shrinks only like eps, not eps squared."""
# base: solution
# expect: fail test_numerical_gradient_visible test_numerical_gradient_hidden test_numerical_gradient_views_hidden
# %% numerical_gradient
def numerical_gradient(loss_fn, x, eps=1e-6):
    grad = np.zeros(x.shape)
    base_loss = loss_fn()
    for index in np.ndindex(x.shape):
        saved = x[index]
        x[index] = saved + eps
        grad[index] = (loss_fn() - base_loss) / eps
        x[index] = saved
    return grad
