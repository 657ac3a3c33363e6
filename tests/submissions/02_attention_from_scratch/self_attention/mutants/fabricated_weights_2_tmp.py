"""Made-up record for Q3(a): the cell replaces the scores by ones and divides them by their sum, so the recorded scores and weights agree with each other (the old per-step property passed it) but nothing of the real scores is normalised."""
# base: solution
# expect: fail test_attn_weights_2_tmp_hidden
# %% attn_weights_2_tmp
attn_scores_2 = torch.ones(6)
attn_weights_2_tmp = attn_scores_2 / attn_scores_2.sum()
print("attention weights:", attn_weights_2_tmp)
