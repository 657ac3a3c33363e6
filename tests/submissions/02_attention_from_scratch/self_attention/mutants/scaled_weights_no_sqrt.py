"""Q7(d) forgets to divide the scores by sqrt(d_k) before the softmax; the context vector built on these weights keeps its hidden points."""
# base: solution
# expect: fail test_scaled_attn_weights_2_visible test_scaled_attn_weights_2_hidden test_trainable_context_vec_2_visible
# keep: test_trainable_context_vec_2_hidden
# %% scaled_attn_weights_2
d_k = keys.shape[1]
attn_weights_2 = torch.softmax(attn_scores_2, dim=-1)
print(attn_weights_2)
