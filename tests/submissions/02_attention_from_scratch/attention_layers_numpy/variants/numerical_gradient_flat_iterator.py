"""numerical_gradient through x.flat, which reads and writes any array in place, views included."""
# base: solution
# expect: full
# %% numerical_gradient
def numerical_gradient(loss_fn, x, eps=1e-6):
    grad = np.empty(x.shape)
    for i in range(x.size):
        original = x.flat[i]
        x.flat[i] = original + eps
        up = loss_fn()
        x.flat[i] = original - eps
        down = loss_fn()
        x.flat[i] = original
        grad.flat[i] = (up - down) / (2 * eps)
    return grad
