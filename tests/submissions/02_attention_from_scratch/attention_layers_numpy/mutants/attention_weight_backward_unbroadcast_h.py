"""AttentionWeight caches h instead of the repeated hr and multiplies dt by h in backward without the (N, 1, H) reshape: the broadcast lines h up with the wrong axis (and fails unless N == T)."""
# base: solution
# expect: fail test_attention_weight_visible test_attention_weight_backward_hidden test_attention_visible test_time_attention_visible test_attention_backward_hidden test_time_attention_backward_hidden
# %% AttentionWeight
class AttentionWeight:
    """Weights a (N, T): softmax over t of the dot products hs[:, t] . h; no parameters."""

    def __init__(self):
        self.params, self.grads = [], []
        self.softmax = Softmax()
        self.cache = None

    def forward(self, hs, h):
        """hs: (N, T, H) encoder states, h: (N, H) decoder state -> a: (N, T), rows summing to 1."""
        N, T, H = hs.shape
        hr = h.reshape(N, 1, H).repeat(T, axis=1)
        t = hs * hr
        s = np.sum(t, axis=2)
        a = self.softmax.forward(s)
        self.cache = (hs, h)
        return a

    def backward(self, da):
        """da: (N, T) -> (dhs, dh) of shapes (N, T, H) and (N, H)."""
        hs, h = self.cache
        N, T, H = hs.shape
        ds = self.softmax.backward(da)
        dt = ds.reshape(N, T, 1).repeat(H, axis=2)
        dhs = dt * h
        dhr = dt * hs
        dh = np.sum(dhr, axis=1)
        return dhs, dh
