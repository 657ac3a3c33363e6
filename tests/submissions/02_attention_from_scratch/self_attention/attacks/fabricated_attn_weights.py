"""Made-up record for Q5 weights: a zero score matrix and uniform weights, consistent with each other and with rows summing to 1 (the old properties passed it)."""
# base: solution
# expect: fail test_attn_weights_hidden
# %% attn_weights
attn_scores = torch.zeros(6, 6)
attn_weights = torch.full((6, 6), 1 / 6)
print(attn_weights)
