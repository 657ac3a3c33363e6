"""numerical_gradient loops over x.reshape(-1): a view for a contiguous x, so those probes are right, but a copy for a transposed or sliced x, whose gradient then comes out 0."""
# base: solution
# expect: fail test_numerical_gradient_views_hidden
# keep: test_numerical_gradient_visible test_numerical_gradient_hidden
# %% numerical_gradient
def numerical_gradient(loss_fn, x, eps=1e-6):
    flat_x = x.reshape(-1)
    flat_grad = np.zeros(flat_x.size)
    for i in range(flat_x.size):
        saved = flat_x[i]
        flat_x[i] = saved + eps
        loss_plus = loss_fn()
        flat_x[i] = saved - eps
        loss_minus = loss_fn()
        flat_x[i] = saved
        flat_grad[i] = (loss_plus - loss_minus) / (2 * eps)
    return flat_grad.reshape(x.shape)
