"""Q5(b) does not compute the matrix product: it reuses the matrix the loops of Q5(a) built, which holds the same numbers for the lecture's inputs but does not follow other inputs."""
# base: solution
# expect: fail test_attn_scores_hidden
# keep: test_attn_scores_visible test_attn_weights_visible test_attn_weights_hidden test_all_context_vecs_visible
# %% attn_scores
attn_scores = attn_scores_loop.clone()   # the same 6 x 6 scores as the loops above
print(attn_scores)
