"""WeightSum.backward spreads dc over time with np.tile instead of repeat: right shape, rows of the wrong sequences."""
# base: solution
# expect: fail test_weightsum_backward_hidden test_attention_backward_hidden test_time_attention_backward_hidden
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
        c = np.sum(t, axis=1)
        self.cache = (hs, ar)
        return c

    def backward(self, dc):
        """dc: (N, H) -> (dhs, da) of shapes (N, T, H) and (N, T)."""
        hs, ar = self.cache
        N, T, H = hs.shape
        dt = np.tile(dc, (T, 1)).reshape(N, T, H)
        dar = dt * hs
        dhs = dt * ar
        da = np.sum(dar, axis=2)
        return dhs, da
