"""Correct: explicit Python loops over the batch and time steps instead of array operations."""
# base: solution
# expect: full
# %% Softmax
class Softmax:
    """Row-by-row softmax."""

    def __init__(self):
        self.params, self.grads = [], []
        self.out = None

    def forward(self, x):
        self.out = np.zeros_like(x, dtype=float)
        for n in range(x.shape[0]):
            e = np.exp(x[n] - max(x[n]))
            self.out[n] = e / e.sum()
        return self.out

    def backward(self, dout):
        dx = np.zeros_like(dout, dtype=float)
        for n in range(dout.shape[0]):
            y = self.out[n]
            dx[n] = y * (dout[n] - np.dot(dout[n], y))
        return dx
# %% WeightSum
class WeightSum:
    """Weighted sum, one sequence and one step at a time."""

    def __init__(self):
        self.params, self.grads = [], []
        self.cache = None

    def forward(self, hs, a):
        N, T, H = hs.shape
        c = np.zeros((N, H))
        for n in range(N):
            for t in range(T):
                c[n] += a[n, t] * hs[n, t]
        self.cache = (hs, a)
        return c

    def backward(self, dc):
        hs, a = self.cache
        N, T, H = hs.shape
        dhs, da = np.zeros_like(hs), np.zeros((N, T))
        for n in range(N):
            for t in range(T):
                dhs[n, t] = a[n, t] * dc[n]
                da[n, t] = np.dot(hs[n, t], dc[n])
        return dhs, da
# %% AttentionWeight
class AttentionWeight:
    """Scores one dot product at a time."""

    def __init__(self):
        self.params, self.grads = [], []
        self.softmax = Softmax()
        self.cache = None

    def forward(self, hs, h):
        N, T, H = hs.shape
        s = np.zeros((N, T))
        for n in range(N):
            for t in range(T):
                s[n, t] = np.dot(hs[n, t], h[n])
        self.cache = (hs, h)
        return self.softmax.forward(s)

    def backward(self, da):
        hs, h = self.cache
        N, T, H = hs.shape
        ds = self.softmax.backward(da)
        dhs, dh = np.zeros_like(hs), np.zeros_like(h)
        for n in range(N):
            for t in range(T):
                dhs[n, t] = ds[n, t] * h[n]
                dh[n] += ds[n, t] * hs[n, t]
        return dhs, dh
