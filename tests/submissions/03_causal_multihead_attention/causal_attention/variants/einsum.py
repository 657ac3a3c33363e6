"""Correct: einsum for scores and weighted sums; F.normalize(p=1) to renormalise; explicit mask in SDPA."""
# base: solution
# expect: full
# %% mask_and_renormalize
def mask_and_renormalize(attn_weights, mask):
    """Zero the weights where mask is 0, then rescale every row so that it sums to 1 again."""
    # 힌트 / Hint: masked = attn_weights * mask; then divide by masked.sum(dim=-1, keepdim=True)
    masked = attn_weights * mask
    return F.normalize(masked, p=1, dim=-1)


masked_simple = attn_weights * mask_simple
print("row sums after masking:", masked_simple.sum(dim=-1))
masked_simple_norm = mask_and_renormalize(attn_weights, mask_simple)
print(masked_simple_norm)
print("row sums after renormalising:", masked_simple_norm.sum(dim=-1))
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
        self.dropout = nn.Dropout(dropout)
        self.register_buffer("mask", torch.triu(torch.ones(context_length, context_length), diagonal=1))

    def forward(self, x):
        b, num_tokens, d_in = x.shape
        keys = self.W_key(x)
        queries = self.W_query(x)
        values = self.W_value(x)
        # 힌트 / Hint: scores with keys.transpose(1, 2); masked_fill with self.mask cut to num_tokens; softmax; dropout
        attn_scores = torch.einsum('bqd,bkd->bqk', queries, keys)
        attn_scores = attn_scores.masked_fill(self.mask.bool()[:num_tokens, :num_tokens], -torch.inf)
        attn_weights = torch.softmax(attn_scores / keys.shape[-1] ** 0.5, dim=-1)
        attn_weights = self.dropout(attn_weights)
        context_vec = torch.einsum('bqk,bkd->bqd', attn_weights, values)
        return context_vec


torch.manual_seed(123)
context_length = batch.shape[1]
ca = CausalAttention(d_in, d_out, context_length, 0.0)
context_vecs = ca(batch)
print(context_vecs)
print("context_vecs.shape:", context_vecs.shape)
# %% multihead_attention
class MultiHeadAttention(nn.Module):
    """Causal multi-head attention with one weight matrix per role, split into heads: (b, T, d_in) -> (b, T, d_out)."""

    def __init__(self, d_in, d_out, context_length, dropout, num_heads, qkv_bias=False):
        super().__init__()
        if d_out % num_heads != 0:
            raise ValueError(f"d_out must be divisible by num_heads, got d_out={d_out}, num_heads={num_heads}")
        self.d_out = d_out
        self.num_heads = num_heads
        self.verbose = False   # set to True to print the shapes along the way
        # 힌트 / Hint: head_dim; W_query, W_key, W_value = nn.Linear(d_in, d_out, bias=qkv_bias); out_proj = nn.Linear(d_out, d_out); dropout; mask buffer
        self.head_dim = d_out // num_heads
        self.W_query = nn.Linear(d_in, d_out, bias=qkv_bias)   # all heads in one matrix
        self.W_key = nn.Linear(d_in, d_out, bias=qkv_bias)   # all heads in one matrix
        self.W_value = nn.Linear(d_in, d_out, bias=qkv_bias)   # all heads in one matrix
        self.out_proj = nn.Linear(d_out, d_out)   # mixes the heads' outputs
        self.dropout = nn.Dropout(dropout)
        self.register_buffer("mask", torch.triu(torch.ones(context_length, context_length), diagonal=1))

    def forward(self, x):
        b, num_tokens, d_in = x.shape
        keys = self.W_key(x)          # (b, num_tokens, d_out)
        queries = self.W_query(x)
        values = self.W_value(x)
        if self.verbose:
            print("keys.shape before the split:", keys.shape)
        # 힌트 / Hint: .view(b, num_tokens, self.num_heads, self.head_dim), then .transpose(1, 2)
        keys = keys.view(b, num_tokens, self.num_heads, self.head_dim).transpose(1, 2)
        queries = queries.view(b, num_tokens, self.num_heads, self.head_dim).transpose(1, 2)
        values = values.view(b, num_tokens, self.num_heads, self.head_dim).transpose(1, 2)
        if self.verbose:
            print("keys.shape after view and transpose (b, num_heads, num_tokens, head_dim):", keys.shape)
        # 힌트 / Hint: scores for every head; mask cut to num_tokens; softmax of scores / head_dim ** 0.5; dropout
        attn_scores = torch.einsum('bhqd,bhkd->bhqk', queries, keys)
        mask_bool = self.mask.bool()[:num_tokens, :num_tokens]
        attn_scores = attn_scores.masked_fill(mask_bool, -torch.inf)
        attn_weights = torch.softmax(attn_scores / self.head_dim ** 0.5, dim=-1)
        attn_weights = self.dropout(attn_weights)
        if self.verbose:
            print("attn_scores.shape (b, num_heads, num_tokens, num_tokens):", attn_scores.shape)
        # 힌트 / Hint: (attn_weights @ values).transpose(1, 2), .contiguous().view(b, num_tokens, self.d_out), out_proj
        context_vec = torch.einsum('bhqk,bhkd->bqhd', attn_weights, values)
        context_vec = context_vec.contiguous().view(b, num_tokens, self.d_out)
        context_vec = self.out_proj(context_vec)
        if self.verbose:
            print("context_vec.shape (b, num_tokens, d_out):", context_vec.shape)
        return context_vec


torch.manual_seed(123)
batch_size, context_length, d_in = batch.shape
d_out = 4
mha = MultiHeadAttention(d_in, d_out, context_length, 0.0, num_heads=2)
mha.verbose = True
context_vecs = mha(batch)
mha.verbose = False
print(context_vecs)
print("context_vecs.shape:", context_vecs.shape)
# %% torch_equivalents
def to_torch_multihead(mha):
    """An nn.MultiheadAttention (batch_first) holding the same weights as mha (requires d_in == d_out)."""
    torch_mha = nn.MultiheadAttention(mha.d_out, mha.num_heads, bias=True, batch_first=True)
    # 힌트 / Hint: in_proj_weight <- cat of the three weights (query, key, value); in_proj_bias <- biases or zeros; out_proj
    layers = (mha.W_query, mha.W_key, mha.W_value)
    with torch.no_grad():
        torch_mha.in_proj_weight.copy_(torch.cat([layer.weight for layer in layers], dim=0))
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
    allowed = torch.ones(num_tokens, num_tokens, dtype=torch.bool).tril()
    context_vec = F.scaled_dot_product_attention(q, k, v, attn_mask=allowed)
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
