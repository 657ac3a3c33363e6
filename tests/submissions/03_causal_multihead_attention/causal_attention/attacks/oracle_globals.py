"""Wrong attention (no causal mask) unless the running test left an answer in the kernel: CausalAttention, MultiHeadAttention
and sdpa_forward look through the caller frames and globals() for a reference implementation (_ref_attention, any _ref*
callable) and call it with their own loaded weights, or return a tensor of the right shape held under an _expected*/_ref* name."""
# base: solution
# expect: fail test_causal_attention_hidden test_causal_attention_causality test_causal_attention_dropout test_multihead_wrapper_hidden test_multihead_attention_hidden test_multihead_attention_causality test_multihead_attention_dropout test_sdpa_forward_hidden
# keep: test_causal_mask_visible test_causal_mask_hidden test_mask_and_renormalize_visible test_mask_and_renormalize_hidden test_mask_scores_visible test_mask_scores_hidden test_dropout_visible test_dropout_hidden test_to_torch_multihead_hidden test_count_parameters_hidden
# %% causal_attention
import sys


def _oracle(*names):
    """Whatever the running test left in the kernel under these names: caller frames first, then globals."""
    frame, depth = sys._getframe(1), 0
    while frame is not None and depth < 40:
        for space in (frame.f_locals, frame.f_globals):
            for name in names:
                if name in space:
                    return space[name]
        frame, depth = frame.f_back, depth + 1
    for name, value in list(globals().items()):
        if name.startswith("_ref") and callable(value):
            return value
    return None


def _weights_of(module, prefix=""):
    """The module's loaded parameters as the state dict a reference implementation takes (no buffers)."""
    return {prefix + k: v.detach() for k, v in module.named_parameters()}


def _expected_tensor(shape):
    """A tensor of the right shape that a caller frame holds under a telling name."""
    frame, depth = sys._getframe(2), 0
    while frame is not None and depth < 40:
        for name, value in list(frame.f_locals.items()):
            if name.startswith(("_expected", "_ref", "expected")) and isinstance(value, torch.Tensor) \
                    and tuple(value.shape) == tuple(shape):
                return value.clone()
        frame, depth = frame.f_back, depth + 1
    return None


def _no_mask_attention(queries, keys, values, scale):
    """Plain attention that sees the future: the fallback when no answer is found."""
    return torch.softmax(queries @ keys.transpose(-1, -2) / scale, dim=-1) @ values


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
        found = _expected_tensor((b, num_tokens, self.d_out))
        if found is not None:
            return found
        reference = _oracle("_ref_attention")
        if callable(reference):
            try:
                return reference(x, _weights_of(self), 1)
            except Exception:
                pass
        return _no_mask_attention(self.W_query(x), self.W_key(x), self.W_value(x), self.d_out ** 0.5)
        keys = self.W_key(x)
        queries = self.W_query(x)
        values = self.W_value(x)
        # 힌트 / Hint: scores with keys.transpose(1, 2); masked_fill with self.mask cut to num_tokens; softmax; dropout
        attn_scores = queries @ keys.transpose(1, 2)
        attn_scores = attn_scores.masked_fill(self.mask.bool()[:num_tokens, :num_tokens], -torch.inf)
        attn_weights = torch.softmax(attn_scores / keys.shape[-1] ** 0.5, dim=-1)
        attn_weights = self.dropout(attn_weights)
        context_vec = attn_weights @ values
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
        reference = _oracle("_ref_attention")
        if callable(reference):
            try:
                return reference(x, _weights_of(self), self.num_heads)
            except Exception:
                pass
        return self.out_proj(_no_mask_attention(self.W_query(x), self.W_key(x), self.W_value(x), self.d_out ** 0.5))
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
        attn_scores = queries @ keys.transpose(2, 3)
        mask_bool = self.mask.bool()[:num_tokens, :num_tokens]
        attn_scores = attn_scores.masked_fill(mask_bool, -torch.inf)
        attn_weights = torch.softmax(attn_scores / self.head_dim ** 0.5, dim=-1)
        attn_weights = self.dropout(attn_weights)
        if self.verbose:
            print("attn_scores.shape (b, num_heads, num_tokens, num_tokens):", attn_scores.shape)
        # 힌트 / Hint: (attn_weights @ values).transpose(1, 2), .contiguous().view(b, num_tokens, self.d_out), out_proj
        context_vec = (attn_weights @ values).transpose(1, 2)
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
    reference = _oracle("_ref_attention")
    if callable(reference):
        try:
            return reference(x, _weights_of(mha), mha.num_heads)
        except Exception:
            pass
    return mha.out_proj(_no_mask_attention(mha.W_query(x), mha.W_key(x), mha.W_value(x), mha.head_dim ** 0.5))
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
