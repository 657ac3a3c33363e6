"""Made-up AttentionWeight: uniform weights over the encoder steps whatever the states, and zero gradients. The rows sum to 1 (the old row-sum properties of the AttentionWeight and gradient-check tests passed them)."""
# base: solution
# expect: fail test_attention_weight_visible test_attention_weight_forward_hidden
# %% AttentionWeight
class AttentionWeight:
    def __init__(self):
        self.params, self.grads = [], []
        self.softmax = Softmax()
        self.cache = None

    def forward(self, hs, h):
        N, T, H = hs.shape
        self.cache = (hs, h)
        return np.full((N, T), 1.0 / T)

    def backward(self, da):
        hs, h = self.cache
        return np.zeros_like(hs), np.zeros_like(h)
