"""Q5(c) normalises the columns (dim=0) instead of the rows; the scores are symmetric, so this is the transpose of the right weights. The context vectors computed from these weights keep their hidden points."""
# base: solution
# expect: fail test_attn_weights_visible test_attn_weights_hidden test_all_context_vecs_visible
# keep: test_all_context_vecs_hidden
# %% attn_weights
attn_weights = torch.softmax(attn_scores, dim=0)
print(attn_weights)
print("row sums:", attn_weights.sum(dim=-1))
