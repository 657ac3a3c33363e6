"""Q3: masked_fill_ (in place, as the lecture's class does) overwrites the caller's attn_scores."""
# base: solution
# expect: fail test_mask_scores_visible test_mask_scores_hidden
# keep: test_causal_mask_visible test_causal_mask_hidden test_mask_and_renormalize_visible test_mask_and_renormalize_hidden test_dropout_visible test_dropout_hidden test_causal_attention_visible test_causal_attention_hidden test_causal_attention_causality test_causal_attention_dropout test_multihead_wrapper_visible test_multihead_wrapper_hidden test_multihead_attention_visible test_multihead_attention_hidden test_multihead_attention_causality test_multihead_attention_dropout test_to_torch_multihead_visible test_to_torch_multihead_hidden test_sdpa_forward_visible test_sdpa_forward_hidden test_count_parameters_visible test_count_parameters_hidden
# %% mask_scores
def mask_scores(attn_scores, mask):
    """A copy of attn_scores with -inf wherever mask is 1 (the future), unchanged elsewhere."""
    # 힌트 / Hint: attn_scores.masked_fill(mask.bool(), -torch.inf)
    attn_scores.masked_fill_(mask.bool(), -torch.inf)
    return attn_scores


mask = torch.triu(torch.ones(context_length, context_length), diagonal=1)
masked = mask_scores(attn_scores, mask)
print(masked)
attn_weights_causal = torch.softmax(masked / keys.shape[-1] ** 0.5, dim=-1)
print(attn_weights_causal)
