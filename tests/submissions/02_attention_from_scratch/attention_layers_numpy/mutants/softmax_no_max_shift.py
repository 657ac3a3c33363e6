"""Softmax.forward exponentiates the raw scores: large scores overflow to inf and the weights become NaN."""
# base: solution
# expect: fail test_softmax_visible test_softmax_hidden
# %% Softmax
class Softmax:
    """Softmax over axis 1 of a 2-D array (N, T): every row becomes a probability distribution."""

    def __init__(self):
        self.params, self.grads = [], []
        self.out = None

    def forward(self, x):
        """x: scores (N, T) -> y: weights (N, T), each row non-negative and summing to 1."""
        y = np.exp(x)
        y /= y.sum(axis=1, keepdims=True)
        self.out = y
        return y

    def backward(self, dout):
        """dout: dL/dy (N, T) -> dx: dL/dx (N, T)."""
        dx = self.out * dout
        sumdx = np.sum(dx, axis=1, keepdims=True)
        dx -= self.out * sumdx
        return dx
