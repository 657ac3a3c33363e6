"""Made-up record for Q7(c): a zero query, and zero scores, consistent with query_2 @ keys.T (the old per-step property passed it)."""
# base: solution
# expect: fail test_query_2_scores_hidden
# %% query_2_scores
keys_2 = keys[1]
query_2 = torch.zeros(2)
attn_score_22 = torch.tensor(0.0)
attn_scores_2 = torch.zeros(6)
print(attn_scores_2)
