"""Correct: broadcasting with np.newaxis instead of repeat, forward and backward."""
# base: solution
# expect: full
# %% WeightSum
class WeightSum:
    """Weighted sum over time."""

    def __init__(self):
        self.params, self.grads = [], []
        self.cache = None

    def forward(self, hs, a):
        self.cache = (hs, a)
        return (hs * a[:, :, np.newaxis]).sum(axis=1)

    def backward(self, dc):
        hs, a = self.cache
        dc = dc[:, np.newaxis, :]               # (N, 1, H) broadcasts over T
        return a[:, :, np.newaxis] * dc, (hs * dc).sum(axis=-1)
# %% AttentionWeight
class AttentionWeight:
    """Softmax of dot products."""

    def __init__(self):
        self.params, self.grads = [], []
        self.softmax = Softmax()
        self.cache = None

    def forward(self, hs, h):
        self.cache = (hs, h)
        return self.softmax.forward((hs * h[:, np.newaxis, :]).sum(axis=-1))

    def backward(self, da):
        hs, h = self.cache
        ds = self.softmax.backward(da)[:, :, np.newaxis]   # (N, T, 1)
        return ds * h[:, np.newaxis, :], (ds * hs).sum(axis=1)
