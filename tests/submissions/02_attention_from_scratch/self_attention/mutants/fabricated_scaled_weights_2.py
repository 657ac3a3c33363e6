"""Made-up record for Q7(d): zero scores and uniform weights, the softmax of zeros whatever the scale (the old per-step property passed it)."""
# base: solution
# expect: fail test_scaled_attn_weights_2_hidden
# %% scaled_attn_weights_2
d_k = keys.shape[1]
attn_scores_2 = torch.zeros(6)
attn_weights_2 = torch.full((6,), 1 / 6)
print(attn_weights_2)
