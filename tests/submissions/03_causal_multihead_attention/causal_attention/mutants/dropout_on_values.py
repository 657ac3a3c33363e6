"""Q5: dropout applied to the values instead of the attention weights."""
# base: solution
# expect: fail test_causal_attention_dropout
# keep: test_causal_mask_visible test_causal_mask_hidden test_mask_and_renormalize_visible test_mask_and_renormalize_hidden test_mask_scores_visible test_mask_scores_hidden test_dropout_visible test_dropout_hidden test_causal_attention_visible test_causal_attention_hidden test_causal_attention_causality test_multihead_wrapper_visible test_multihead_wrapper_hidden test_multihead_attention_visible test_multihead_attention_hidden test_multihead_attention_causality test_multihead_attention_dropout test_to_torch_multihead_visible test_to_torch_multihead_hidden test_sdpa_forward_visible test_sdpa_forward_hidden test_count_parameters_visible test_count_parameters_hidden
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
        attn_scores = queries @ keys.transpose(1, 2)
        attn_scores = attn_scores.masked_fill(self.mask.bool()[:num_tokens, :num_tokens], -torch.inf)
        attn_weights = torch.softmax(attn_scores / keys.shape[-1] ** 0.5, dim=-1)
        context_vec = attn_weights @ self.dropout(values)
        return context_vec


torch.manual_seed(123)
context_length = batch.shape[1]
ca = CausalAttention(d_in, d_out, context_length, 0.0)
context_vecs = ca(batch)
print(context_vecs)
print("context_vecs.shape:", context_vecs.shape)
