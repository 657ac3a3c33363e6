"""AttentionWeight writes its softmax inline and normalises over the batch axis (axis 0) instead of over time."""
# base: solution
# expect: fail test_attention_weight_visible test_attention_weight_forward_hidden test_attention_weight_backward_hidden test_attention_visible test_attention_forward_hidden test_time_attention_visible test_time_attention_forward_hidden test_attention_backward_hidden test_time_attention_backward_hidden
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
        e = np.exp(s - s.max())
        a = e / e.sum(axis=0, keepdims=True)
        self.a = a
        self.cache = (hs, hr)
        return a

    def backward(self, da):
        """da: (N, T) -> (dhs, dh) of shapes (N, T, H) and (N, H)."""
        hs, hr = self.cache
        N, T, H = hs.shape
        ds = self.a * (da - np.sum(da * self.a, axis=0, keepdims=True))
        dt = ds.reshape(N, T, 1).repeat(H, axis=2)
        dhs = dt * hr
        dhr = dt * hs
        dh = np.sum(dhr, axis=1)
        return dhs, dh
