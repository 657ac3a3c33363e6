"""Q9: counting the state_dict, which also holds the mask buffer."""
# base: solution
# expect: fail test_count_parameters_visible test_count_parameters_hidden
# keep: test_causal_mask_visible test_causal_mask_hidden test_mask_and_renormalize_visible test_mask_and_renormalize_hidden test_mask_scores_visible test_mask_scores_hidden test_dropout_visible test_dropout_hidden test_causal_attention_visible test_causal_attention_hidden test_causal_attention_causality test_causal_attention_dropout test_multihead_wrapper_visible test_multihead_wrapper_hidden test_multihead_attention_visible test_multihead_attention_hidden test_multihead_attention_causality test_multihead_attention_dropout test_to_torch_multihead_visible test_to_torch_multihead_hidden test_sdpa_forward_visible test_sdpa_forward_hidden
# %% count_parameters
def count_parameters(module):
    """The number of parameters (not buffers) of module, as an int."""
    # 힌트 / Hint: sum(p.numel() for p in module.parameters())
    return sum(t.numel() for t in module.state_dict().values())


gpt2_attention = MultiHeadAttention(768, 768, 1024, 0.0, num_heads=12)
print(f"parameters of a GPT-2-sized MultiHeadAttention: {count_parameters(gpt2_attention):,}")
