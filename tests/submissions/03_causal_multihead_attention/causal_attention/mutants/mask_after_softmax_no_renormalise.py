"""Q2: the weights are masked after the softmax but not renormalised: rows no longer sum to 1."""
# base: solution
# expect: fail test_mask_and_renormalize_visible test_mask_and_renormalize_hidden
# keep: test_causal_mask_visible test_causal_mask_hidden test_mask_scores_visible test_mask_scores_hidden test_dropout_visible test_dropout_hidden test_causal_attention_visible test_causal_attention_hidden test_causal_attention_causality test_causal_attention_dropout test_multihead_wrapper_visible test_multihead_wrapper_hidden test_multihead_attention_visible test_multihead_attention_hidden test_multihead_attention_causality test_multihead_attention_dropout test_to_torch_multihead_visible test_to_torch_multihead_hidden test_sdpa_forward_visible test_sdpa_forward_hidden test_count_parameters_visible test_count_parameters_hidden
# %% mask_and_renormalize
def mask_and_renormalize(attn_weights, mask):
    """Zero the weights where mask is 0, then rescale every row so that it sums to 1 again."""
    # 힌트 / Hint: masked = attn_weights * mask; then divide by masked.sum(dim=-1, keepdim=True)
    masked = attn_weights * mask
    return masked


masked_simple = attn_weights * mask_simple
print("row sums after masking:", masked_simple.sum(dim=-1))
masked_simple_norm = mask_and_renormalize(attn_weights, mask_simple)
print(masked_simple_norm)
print("row sums after renormalising:", masked_simple_norm.sum(dim=-1))
