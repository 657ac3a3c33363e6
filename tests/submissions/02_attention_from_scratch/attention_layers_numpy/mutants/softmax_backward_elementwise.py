"""Softmax.backward multiplies by the diagonal y * (1 - y) only, as for a sigmoid."""
# base: solution
# expect: fail test_softmax_visible test_softmax_hidden test_attention_weight_backward_hidden test_attention_backward_hidden test_time_attention_backward_hidden
# %% Softmax
class Softmax:
    """Softmax over axis 1 of a 2-D array (N, T): every row becomes a probability distribution."""

    def __init__(self):
        self.params, self.grads = [], []
        self.out = None

    def forward(self, x):
        """x: scores (N, T) -> y: weights (N, T), each row non-negative and summing to 1."""
        x = x - x.max(axis=1, keepdims=True)
        y = np.exp(x)
        y /= y.sum(axis=1, keepdims=True)
        self.out = y
        return y

    def backward(self, dout):
        """dout: dL/dy (N, T) -> dx: dL/dx (N, T)."""
        return dout * self.out * (1 - self.out)
