"""Q5(a) rounds every score to four decimals (round(..., 4)) so that the printout looks like the lecture's matrix: the visible test's tolerance accepts it, the scores are not x^(i) . x^(j) to float precision."""
# base: solution
# expect: fail test_attn_scores_loop_hidden
# keep: test_attn_scores_loop_visible
# %% attn_scores_loop
attn_scores_loop = torch.empty(inputs.shape[0], inputs.shape[0])
for i, x_i in enumerate(inputs):
    for j, x_j in enumerate(inputs):
        attn_scores_loop[i, j] = round(torch.dot(x_i, x_j).item(), 4)
print(attn_scores_loop)
