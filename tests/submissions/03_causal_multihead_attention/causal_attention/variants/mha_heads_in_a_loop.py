"""Correct: MultiHeadAttention computes its heads one at a time from slices of the joined projections, the one dropout module used for every head's weights (another mask than one call on all heads, just as correct)."""
# base: solution
# expect: full
# %% multihead_attention
class MultiHeadAttention(nn.Module):
    """Causal multi-head attention with one weight matrix per role, split into heads: (b, T, d_in) -> (b, T, d_out)."""

    def __init__(self, d_in, d_out, context_length, dropout, num_heads, qkv_bias=False):
        super().__init__()
        if d_out % num_heads != 0:
            raise ValueError(f"d_out must be divisible by num_heads, got d_out={d_out}, num_heads={num_heads}")
        self.d_out = d_out
        self.num_heads = num_heads
        self.verbose = False
        self.head_dim = d_out // num_heads
        self.W_query = nn.Linear(d_in, d_out, bias=qkv_bias)
        self.W_key = nn.Linear(d_in, d_out, bias=qkv_bias)
        self.W_value = nn.Linear(d_in, d_out, bias=qkv_bias)
        self.out_proj = nn.Linear(d_out, d_out)
        self.dropout = nn.Dropout(dropout)
        self.register_buffer("mask", torch.triu(torch.ones(context_length, context_length), diagonal=1))

    def forward(self, x):
        b, num_tokens, d_in = x.shape
        keys, queries, values = self.W_key(x), self.W_query(x), self.W_value(x)
        future = self.mask.bool()[:num_tokens, :num_tokens]
        heads = []
        for h in range(self.num_heads):
            part = slice(h * self.head_dim, (h + 1) * self.head_dim)
            scores = queries[..., part] @ keys[..., part].transpose(1, 2)
            weights = torch.softmax(scores.masked_fill(future, -torch.inf) / self.head_dim ** 0.5, dim=-1)
            heads.append(self.dropout(weights) @ values[..., part])
        return self.out_proj(torch.cat(heads, dim=-1))


torch.manual_seed(123)
batch_size, context_length, d_in = batch.shape
d_out = 4
mha = MultiHeadAttention(d_in, d_out, context_length, 0.0, num_heads=2)
context_vecs = mha(batch)
print(context_vecs)
print("context_vecs.shape:", context_vecs.shape)
