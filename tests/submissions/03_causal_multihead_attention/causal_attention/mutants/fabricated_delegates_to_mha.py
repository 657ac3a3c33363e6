"""Q8 fabricated: to_torch_multihead returns a module that calls the given layer, and sdpa_forward returns mha(x): same outputs, no copying and no SDPA."""
# base: solution
# expect: fail test_to_torch_multihead_visible test_to_torch_multihead_hidden test_sdpa_forward_visible test_sdpa_forward_hidden
# keep: test_causal_mask_visible test_causal_mask_hidden test_mask_and_renormalize_visible test_mask_and_renormalize_hidden test_mask_scores_visible test_mask_scores_hidden test_dropout_visible test_dropout_hidden test_causal_attention_visible test_causal_attention_hidden test_causal_attention_causality test_causal_attention_dropout test_multihead_wrapper_visible test_multihead_wrapper_hidden test_multihead_attention_visible test_multihead_attention_hidden test_multihead_attention_causality test_multihead_attention_dropout test_count_parameters_visible test_count_parameters_hidden
# %% torch_equivalents
class Delegate(nn.Module):
    """Looks like nn.MultiheadAttention from the outside: (query, key, value, ...) -> (output, None)."""

    def __init__(self, layer):
        super().__init__()
        self.layer = layer

    def forward(self, query, key, value, **kwargs):
        return self.layer(query), None


def to_torch_multihead(mha):
    return Delegate(mha)


def _unused_to_torch_multihead(mha):
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
    context_vec = F.scaled_dot_product_attention(q, k, v, is_causal=True)
    context_vec = context_vec.transpose(1, 2).reshape(b, num_tokens, mha.d_out)
    return mha(x)


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
