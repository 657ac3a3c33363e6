"""Correct: einsum for the scores and the weighted sum, transpose/reshape to split the heads, a compact block."""
# base: solution
# expect: full
# %% multi_head_attention
class MultiHeadAttention(nn.Module):
    def __init__(self, d_model, num_heads):
        super().__init__()
        assert d_model % num_heads == 0
        self.d_model = d_model
        self.num_heads = num_heads
        self.d_k = int(d_model / num_heads)
        self.W_q = nn.Linear(d_model, d_model)
        self.W_k = nn.Linear(d_model, d_model)
        self.W_v = nn.Linear(d_model, d_model)
        self.W_o = nn.Linear(d_model, d_model)

    def split(self, x):
        b, t, _ = x.shape
        return x.reshape(b, t, self.num_heads, self.d_k).transpose(1, 2)

    def forward(self, Q, K, V, mask=None):
        q, k, v = self.split(self.W_q(Q)), self.split(self.W_k(K)), self.split(self.W_v(V))
        scores = torch.einsum("bhqd,bhkd->bhqk", q, k) * self.d_k ** -0.5
        if mask is not None:
            scores = scores.masked_fill(mask == 0, float("-inf"))
        weights = torch.softmax(scores, dim=3)
        out = torch.einsum("bhqk,bhkd->bhqd", weights, v)
        b, h, t, d = out.shape
        return self.W_o(out.transpose(1, 2).reshape(b, t, h * d))
# %% transformer_block
class TransformerBlock(nn.Module):
    def __init__(self, d_model, num_heads):
        super().__init__()
        self.attention = MultiHeadAttention(d_model, num_heads)
        self.norm1 = nn.LayerNorm(d_model)
        self.norm2 = nn.LayerNorm(d_model)
        self.feed_forward = nn.Sequential(nn.Linear(d_model, 4 * d_model), nn.ReLU(), nn.Linear(4 * d_model, d_model))

    def forward(self, x, mask=None):
        x = self.norm1(x + self.attention(x, x, x, mask=mask))
        return self.norm2(x + self.feed_forward(x))
# %% make_inputs_and_labels
def make_inputs_and_labels(sequences):
    return sequences.narrow(1, 0, sequences.size(1) - 1), sequences.narrow(1, 1, sequences.size(1) - 1)
