"""Made-up Softmax: every row is uniform (1/T each) and the backward pass returns zeros. The rows sum to 1 and dx's rows sum to 0, which is all the old row-sum properties looked at."""
# base: solution
# expect: fail test_softmax_visible test_softmax_hidden
# %% Softmax
class Softmax:
    def __init__(self):
        self.params, self.grads = [], []
        self.out = None

    def forward(self, x):
        self.out = np.full(np.shape(x), 1.0 / np.shape(x)[1])
        return self.out

    def backward(self, dout):
        return np.zeros_like(dout)
