"""Correct: every layer written with np.einsum, TimeAttention walking the steps backwards into a zeros array."""
# base: solution
# expect: full
# %% Softmax
class Softmax:
    """Softmax over axis 1."""

    def __init__(self):
        self.params, self.grads = [], []
        self.out = None

    def forward(self, x):
        e = np.exp(x - np.max(x, axis=-1, keepdims=True))
        self.out = e / np.einsum("nt->n", e)[:, None]
        return self.out

    def backward(self, dout):
        y = self.out
        return y * dout - y * np.einsum("nt,nt->n", dout, y)[:, None]
# %% WeightSum
class WeightSum:
    """c = sum_t a[:, t] hs[:, t]."""

    def __init__(self):
        self.params, self.grads = [], []
        self.cache = None

    def forward(self, hs, a):
        self.cache = (hs, a)
        return np.einsum("nth,nt->nh", hs, a)

    def backward(self, dc):
        hs, a = self.cache
        return np.einsum("nt,nh->nth", a, dc), np.einsum("nth,nh->nt", hs, dc)
# %% AttentionWeight
class AttentionWeight:
    """a = softmax_t(hs[:, t] . h)."""

    def __init__(self):
        self.params, self.grads = [], []
        self.softmax = Softmax()
        self.cache = None

    def forward(self, hs, h):
        self.cache = (hs, h)
        return self.softmax.forward(np.einsum("nth,nh->nt", hs, h))

    def backward(self, da):
        hs, h = self.cache
        ds = self.softmax.backward(da)
        return np.einsum("nt,nh->nth", ds, h), np.einsum("nt,nth->nh", ds, hs)
# %% TimeAttention
class TimeAttention:
    """One Attention per decoder step."""

    def __init__(self):
        self.params, self.grads = [], []
        self.layers = None
        self.attention_weights = None

    def forward(self, hs_enc, hs_dec):
        self.layers = [Attention() for _ in range(hs_dec.shape[1])]
        out = np.stack([layer.forward(hs_enc, hs_dec[:, t]) for t, layer in enumerate(self.layers)], axis=1)
        self.attention_weights = [layer.attention_weight for layer in self.layers]
        return out

    def backward(self, dout):
        dhs_enc = None
        dhs_dec = np.zeros_like(dout)
        for t in reversed(range(dout.shape[1])):
            dhs, dh = self.layers[t].backward(dout[:, t])
            dhs_enc = dhs if dhs_enc is None else dhs_enc + dhs
            dhs_dec[:, t] = dh
        return dhs_enc, dhs_dec
