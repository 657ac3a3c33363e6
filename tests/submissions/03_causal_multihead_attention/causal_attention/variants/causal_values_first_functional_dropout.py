"""Correct: CausalAttention computes the values first, scales the scores before masking and drops the weights with F.dropout(training=self.training) at the rate its nn.Dropout holds."""
# base: solution
# expect: full
# %% causal_attention
class CausalAttention(nn.Module):
    """Single-head causal self-attention over a batch (b, num_tokens, d_in) -> (b, num_tokens, d_out)."""

    def __init__(self, d_in, d_out, context_length, dropout, qkv_bias=False):
        super().__init__()
        self.d_out = d_out
        self.W_query = nn.Linear(d_in, d_out, bias=qkv_bias)
        self.W_key = nn.Linear(d_in, d_out, bias=qkv_bias)
        self.W_value = nn.Linear(d_in, d_out, bias=qkv_bias)
        self.dropout = nn.Dropout(dropout)
        self.register_buffer("mask", torch.triu(torch.ones(context_length, context_length), diagonal=1))

    def forward(self, x):
        num_tokens = x.shape[1]
        values = self.W_value(x)
        queries, keys = self.W_query(x), self.W_key(x)
        scores = (queries @ keys.transpose(1, 2)) / keys.shape[-1] ** 0.5
        scores = scores.masked_fill(self.mask[:num_tokens, :num_tokens] == 1, float("-inf"))
        weights = F.dropout(scores.softmax(dim=-1), p=self.dropout.p, training=self.training)
        return weights @ values


torch.manual_seed(123)
context_length = batch.shape[1]
ca = CausalAttention(d_in, d_out, context_length, 0.0)
context_vecs = ca(batch)
print(context_vecs)
print("context_vecs.shape:", context_vecs.shape)
