"""WeightSum.forward takes a weighted average, dividing the weighted sum by the sum of the weights: the same for softmax weights and the book's weights, which add up to 1, but c is the plain weighted sum, and the probes' weights (and the gradient check's, which checks the forward too) do not add up to 1."""
# base: solution
# expect: fail test_weightsum_forward_hidden
# keep: test_weightsum_visible test_weightsum_backward_hidden test_attention_visible test_attention_forward_hidden test_attention_backward_hidden test_time_attention_forward_hidden
# %% WeightSum
class WeightSum:
    """Context vector c = sum over t of a[:, t] * hs[:, t]; no parameters."""

    def __init__(self):
        self.params, self.grads = [], []
        self.cache = None

    def forward(self, hs, a):
        """hs: (N, T, H) encoder states, a: (N, T) weights -> c: (N, H)."""
        N, T, H = hs.shape
        ar = a.reshape(N, T, 1).repeat(H, axis=2)
        t = hs * ar
        c = np.sum(t, axis=1) / np.sum(a, axis=1, keepdims=True)   # a weighted average over time
        self.cache = (hs, ar)
        return c

    def backward(self, dc):
        """dc: (N, H) -> (dhs, da) of shapes (N, T, H) and (N, T)."""
        hs, ar = self.cache
        N, T, H = hs.shape
        dt = dc.reshape(N, 1, H).repeat(T, axis=1)
        dar = dt * hs
        dhs = dt * ar
        da = np.sum(dar, axis=2)
        return dhs, da
