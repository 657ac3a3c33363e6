"""numerical_gradient never puts an entry back: each entry stays at saved - eps, so later entries are measured at a moved point and x comes back changed."""
# base: solution
# expect: fail test_numerical_gradient_visible test_numerical_gradient_hidden test_numerical_gradient_views_hidden
# %% numerical_gradient
def numerical_gradient(loss_fn, x, eps=1e-6):
    grad = np.zeros(x.shape)
    for index in np.ndindex(x.shape):
        saved = x[index]
        x[index] = saved + eps
        loss_plus = loss_fn()
        x[index] = saved - eps
        loss_minus = loss_fn()
        grad[index] = (loss_plus - loss_minus) / (2 * eps)
    return grad
