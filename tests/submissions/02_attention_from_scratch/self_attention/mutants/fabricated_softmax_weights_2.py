"""Made-up record for Q3(c): scores set to zeros and weights to 1/6 each, a consistent pair (softmax of zeros) that the old per-step property accepted."""
# base: solution
# expect: fail test_attn_weights_2_hidden
# %% attn_weights_2
attn_scores_2 = torch.zeros(6)
attn_weights_2 = torch.full((6,), 1 / 6)
print("attention weights:", attn_weights_2)
