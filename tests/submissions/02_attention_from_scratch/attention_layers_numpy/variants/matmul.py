"""Correct: batched np.matmul (@) for the weighted sum and the dot products, outer products for the gradients."""
# base: solution
# expect: full
# %% WeightSum
class WeightSum:
    """c = a @ hs per sequence."""

    def __init__(self):
        self.params, self.grads = [], []
        self.cache = None

    def forward(self, hs, a):
        self.cache = (hs, a)
        return np.matmul(a[:, None, :], hs)[:, 0, :]

    def backward(self, dc):
        hs, a = self.cache
        dhs = np.matmul(a[:, :, None], dc[:, None, :])      # outer product per sequence
        da = np.matmul(hs, dc[:, :, None])[:, :, 0]
        return dhs, da
# %% AttentionWeight
class AttentionWeight:
    """Softmax of hs @ h."""

    def __init__(self):
        self.params, self.grads = [], []
        self.softmax = Softmax()
        self.cache = None

    def forward(self, hs, h):
        self.cache = (hs, h)
        return self.softmax.forward((hs @ h[:, :, None])[:, :, 0])

    def backward(self, da):
        hs, h = self.cache
        ds = self.softmax.backward(da)
        return ds[:, :, None] @ h[:, None, :], (ds[:, None, :] @ hs)[:, 0, :]
# %% attention_step
def attention_step(enc_hs, dec_hs):
    """Attention with matmul and a hand-written, shifted softmax."""
    scores = torch.matmul(dec_hs, enc_hs.transpose(-1, -2))
    scores = scores - scores.max(dim=-1, keepdim=True).values
    weights = scores.exp() / scores.exp().sum(dim=-1, keepdim=True)
    return torch.matmul(weights, enc_hs), weights
