"""AttentionWeight.backward computes dh from the repeated h (hr) instead of hs: the wrong cache."""
# base: solution
# expect: fail test_attention_weight_backward_hidden test_attention_backward_hidden test_time_attention_backward_hidden
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
        self.cache = (hs, hr)
        return a

    def backward(self, da):
        """da: (N, T) -> (dhs, dh) of shapes (N, T, H) and (N, H)."""
        hs, hr = self.cache
        N, T, H = hs.shape
        ds = self.softmax.backward(da)
        dt = ds.reshape(N, T, 1).repeat(H, axis=2)
        dhs = dt * hr
        dhr = dt * hr
        dh = np.sum(dhr, axis=1)
        return dhs, dh
