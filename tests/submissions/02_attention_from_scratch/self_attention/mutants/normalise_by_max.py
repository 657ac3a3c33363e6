"""attn_weights_2_tmp divides the scores by their largest value instead of their sum: the weights do not add up to 1."""
# base: solution
# expect: fail test_attn_weights_2_tmp_visible test_attn_weights_2_tmp_hidden
# %% attn_weights_2_tmp
attn_weights_2_tmp = attn_scores_2 / attn_scores_2.max()
print("attention weights:", attn_weights_2_tmp)
print("sum:", attn_weights_2_tmp.sum())
