"""Correct: F.dropout that follows self.training, nn.Dropout(p=0.5), a wrapper built in a loop, weights set through .data."""
# base: solution
# expect: full
# %% dropout_layer
torch.manual_seed(123)
# 힌트 / Hint: nn.Dropout(...)
dropout = torch.nn.Dropout(p=0.5)
example = torch.ones(6, 6)
print(dropout(example))
# %% causal_attention
class CausalAttention(nn.Module):
    """Single-head causal self-attention over a batch (b, num_tokens, d_in) -> (b, num_tokens, d_out)."""

    def __init__(self, d_in, d_out, context_length, dropout, qkv_bias=False):
        super().__init__()
        self.d_out = d_out
        self.W_query = nn.Linear(d_in, d_out, bias=qkv_bias)
        self.W_key = nn.Linear(d_in, d_out, bias=qkv_bias)
        self.W_value = nn.Linear(d_in, d_out, bias=qkv_bias)
        # 힌트 / Hint: self.dropout = nn.Dropout(...); self.register_buffer("mask", torch.triu(..., diagonal=1))
        self.dropout_rate = dropout
        self.register_buffer("mask", torch.triu(torch.ones(context_length, context_length), diagonal=1))

    def forward(self, x):
        b, num_tokens, d_in = x.shape
        keys = self.W_key(x)
        queries = self.W_query(x)
        values = self.W_value(x)
        # 힌트 / Hint: scores with keys.transpose(1, 2); masked_fill with self.mask cut to num_tokens; softmax; dropout
        attn_scores = queries @ keys.transpose(1, 2)
        attn_scores = attn_scores.masked_fill(self.mask.bool()[:num_tokens, :num_tokens], -torch.inf)
        attn_weights = torch.softmax(attn_scores / keys.shape[-1] ** 0.5, dim=-1)
        attn_weights = F.dropout(attn_weights, p=self.dropout_rate, training=self.training)
        context_vec = attn_weights @ values
        return context_vec


torch.manual_seed(123)
context_length = batch.shape[1]
ca = CausalAttention(d_in, d_out, context_length, 0.0)
context_vecs = ca(batch)
print(context_vecs)
print("context_vecs.shape:", context_vecs.shape)
# %% multihead_wrapper
class MultiHeadAttentionWrapper(nn.Module):
    """num_heads CausalAttention heads whose outputs are concatenated: (b, num_tokens, d_out * num_heads)."""

    def __init__(self, d_in, d_out, context_length, dropout, num_heads, qkv_bias=False):
        super().__init__()
        # 힌트 / Hint: nn.ModuleList([CausalAttention(...) for _ in range(num_heads)])
        self.heads = nn.ModuleList()
        for _ in range(num_heads):
            self.heads.append(CausalAttention(d_in, d_out, context_length, dropout, qkv_bias=qkv_bias))

    def forward(self, x):
        # 힌트 / Hint: torch.cat([...], dim=-1)
        outputs = []
        for head in self.heads:
            outputs.append(head(x))
        return torch.cat(outputs, dim=2)


torch.manual_seed(123)
context_length = batch.shape[1]   # the number of tokens
d_in, d_out = 3, 2
mha = MultiHeadAttentionWrapper(d_in, d_out, context_length, 0.0, num_heads=2)
context_vecs = mha(batch)
print(context_vecs)
print("context_vecs.shape:", context_vecs.shape)
# %% torch_equivalents
def to_torch_multihead(mha):
    """An nn.MultiheadAttention (batch_first) holding the same weights as mha (requires d_in == d_out)."""
    torch_mha = nn.MultiheadAttention(mha.d_out, mha.num_heads, bias=True, batch_first=True)
    # 힌트 / Hint: in_proj_weight <- cat of the three weights (query, key, value); in_proj_bias <- biases or zeros; out_proj
    layers = (mha.W_query, mha.W_key, mha.W_value)
    torch_mha.in_proj_weight.data = torch.cat([layer.weight.data for layer in layers], dim=0).clone()
    with torch.no_grad():
        biases = [layer.bias if layer.bias is not None else torch.zeros(mha.d_out) for layer in layers]
        torch_mha.in_proj_bias.copy_(torch.cat(biases))
        torch_mha.out_proj.weight.copy_(mha.out_proj.weight)
        torch_mha.out_proj.bias.copy_(mha.out_proj.bias)
    return torch_mha


def sdpa_forward(mha, x):
    """mha(x) in eval mode, computed with F.scaled_dot_product_attention(..., is_causal=True)."""
    b, num_tokens, _ = x.shape
    # 힌트 / Hint: project, view(b, T, h, head_dim).transpose(1, 2), F.scaled_dot_product_attention(q, k, v, is_causal=True), join, out_proj
    def split(t):
        return t.view(b, num_tokens, mha.num_heads, mha.head_dim).transpose(1, 2)

    q, k, v = split(mha.W_query(x)), split(mha.W_key(x)), split(mha.W_value(x))
    context_vec = F.scaled_dot_product_attention(q, k, v, is_causal=True)
    context_vec = context_vec.transpose(1, 2).reshape(b, num_tokens, mha.d_out)
    return mha.out_proj(context_vec)


torch.manual_seed(123)
mha_square = MultiHeadAttention(4, 4, 6, 0.0, num_heads=2).eval()
x_square = torch.randn(2, 6, 4)
future = torch.triu(torch.ones(6, 6, dtype=torch.bool), diagonal=1)
torch_mha_square = to_torch_multihead(mha_square).eval()
with torch.set_grad_enabled(False):
    ours = mha_square(x_square)
    theirs = torch_mha_square(x_square, x_square, x_square, attn_mask=future, need_weights=False)[0]
    via_sdpa = sdpa_forward(mha_square, x_square)
print("largest difference to nn.MultiheadAttention:", float((ours - theirs).abs().max()))
print("largest difference to scaled_dot_product_attention:", float((ours - via_sdpa).abs().max()))
