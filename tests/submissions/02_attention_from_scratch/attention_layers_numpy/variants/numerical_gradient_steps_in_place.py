"""numerical_gradient moves each entry with += and -= (x + eps, then x - eps, then back) instead of saving it: x comes back equal to within rounding."""
# base: solution
# expect: full
# %% numerical_gradient
def numerical_gradient(loss_fn, x, eps=1e-6):
    grad = np.zeros_like(x, dtype=float)
    it = np.nditer(x, flags=["multi_index"])
    for _ in it:
        idx = it.multi_index
        x[idx] += eps
        f_plus = loss_fn()
        x[idx] -= 2 * eps
        f_minus = loss_fn()
        x[idx] += eps
        grad[idx] = (f_plus - f_minus) / (2 * eps)
    return grad
