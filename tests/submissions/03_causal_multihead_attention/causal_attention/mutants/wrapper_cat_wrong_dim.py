"""Q6: the heads are concatenated along the token axis (dim=1) instead of the features."""
# base: solution
# expect: fail test_multihead_wrapper_visible test_multihead_wrapper_hidden
# keep: test_causal_mask_visible test_causal_mask_hidden test_mask_and_renormalize_visible test_mask_and_renormalize_hidden test_mask_scores_visible test_mask_scores_hidden test_dropout_visible test_dropout_hidden test_causal_attention_visible test_causal_attention_hidden test_causal_attention_causality test_causal_attention_dropout test_multihead_attention_visible test_multihead_attention_hidden test_multihead_attention_causality test_multihead_attention_dropout test_to_torch_multihead_visible test_to_torch_multihead_hidden test_sdpa_forward_visible test_sdpa_forward_hidden test_count_parameters_visible test_count_parameters_hidden
# %% multihead_wrapper
class MultiHeadAttentionWrapper(nn.Module):
    """num_heads CausalAttention heads whose outputs are concatenated: (b, num_tokens, d_out * num_heads)."""

    def __init__(self, d_in, d_out, context_length, dropout, num_heads, qkv_bias=False):
        super().__init__()
        # 힌트 / Hint: nn.ModuleList([CausalAttention(...) for _ in range(num_heads)])
        self.heads = nn.ModuleList(
            [CausalAttention(d_in, d_out, context_length, dropout, qkv_bias) for _ in range(num_heads)]
        )

    def forward(self, x):
        # 힌트 / Hint: torch.cat([...], dim=-1)
        return torch.cat([head(x) for head in self.heads], dim=1)


torch.manual_seed(123)
context_length = batch.shape[1]   # the number of tokens
d_in, d_out = 3, 2
mha = MultiHeadAttentionWrapper(d_in, d_out, context_length, 0.0, num_heads=2)
context_vecs = mha(batch)
print(context_vecs)
print("context_vecs.shape:", context_vecs.shape)
