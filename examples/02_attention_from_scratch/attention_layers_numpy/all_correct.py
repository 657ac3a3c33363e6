"""A fully correct submission written as a student would: the book's code, Softmax backward in the book's style."""
# base: solution
# expect: full
# %% Softmax
class Softmax:
    """Softmax over axis 1 of a 2-D array (N, T): every row becomes a probability distribution."""

    def __init__(self):
        self.params, self.grads = [], []
        self.out = None

    def forward(self, x):
        """x: scores (N, T) -> y: weights (N, T), each row non-negative and summing to 1."""
        x = x - x.max(axis=1, keepdims=True)
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
        dt = dc.reshape(N, 1, H).repeat(T, axis=1)
        dar = dt * hs
        dhs = dt * ar
        da = np.sum(dar, axis=2)
        return dhs, da
# %% Attention
class Attention:
    """One decoder step: weights from AttentionWeight, context vector from WeightSum; no parameters."""

    def __init__(self):
        self.params, self.grads = [], []
        self.attention_weight_layer = AttentionWeight()
        self.weight_sum_layer = WeightSum()
        self.attention_weight = None

    def forward(self, hs, h):
        """hs: (N, T, H), h: (N, H) -> context vector (N, H); keeps the weights in self.attention_weight."""
        a = self.attention_weight_layer.forward(hs, h)
        out = self.weight_sum_layer.forward(hs, a)
        self.attention_weight = a
        return out

    def backward(self, dout):
        """dout: (N, H) -> (dhs, dh) of shapes (N, T, H) and (N, H)."""
        dhs0, da = self.weight_sum_layer.backward(dout)
        dhs1, dh = self.attention_weight_layer.backward(da)
        dhs = dhs0 + dhs1
        return dhs, dh
# %% numerical_gradient
def numerical_gradient(loss_fn, x, eps=1e-6):
    """Central differences, the way the book's numerical_gradient walks the array (np.nditer, multi_index)."""
    h = eps
    grad = np.zeros_like(x)
    it = np.nditer(x, flags=["multi_index"], op_flags=["readwrite"])
    while not it.finished:
        idx = it.multi_index
        tmp_val = x[idx]
        x[idx] = tmp_val + h
        fxh1 = loss_fn()
        x[idx] = tmp_val - h
        fxh2 = loss_fn()
        grad[idx] = (fxh1 - fxh2) / (2 * h)
        x[idx] = tmp_val
        it.iternext()
    return grad
