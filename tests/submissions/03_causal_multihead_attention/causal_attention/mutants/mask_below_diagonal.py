"""Q1: tril with diagonal=-1 also hides the token itself."""
# base: solution
# expect: fail test_causal_mask_visible test_causal_mask_hidden
# keep: test_mask_and_renormalize_visible test_mask_and_renormalize_hidden test_mask_scores_visible test_mask_scores_hidden test_dropout_visible test_dropout_hidden test_causal_attention_visible test_causal_attention_hidden test_causal_attention_causality test_causal_attention_dropout test_multihead_wrapper_visible test_multihead_wrapper_hidden test_multihead_attention_visible test_multihead_attention_hidden test_multihead_attention_causality test_multihead_attention_dropout test_to_torch_multihead_visible test_to_torch_multihead_hidden test_sdpa_forward_visible test_sdpa_forward_hidden test_count_parameters_visible test_count_parameters_hidden
# %% causal_mask
def causal_mask(num_tokens):
    """(num_tokens, num_tokens) float tensor: 1 where query i may see key j (j <= i), else 0."""
    # 힌트 / Hint: torch.tril(torch.ones(...))
    return torch.tril(torch.ones(num_tokens, num_tokens), diagonal=-1)


mask_simple = causal_mask(context_length)
print(mask_simple)
