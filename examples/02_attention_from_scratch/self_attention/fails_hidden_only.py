"""Every visible test passes, but two answers are only right to the printout's precision: the score loop of Q5(a) rounds each dot product to four decimals so the matrix looks like the lecture's, and softmax_stable subtracts the row maximum in place, changing the caller's scores. Only the hidden tests of those two cells lose points."""
# base: solution
# expect: fail test_attn_scores_loop_hidden test_softmax_stable_hidden
# keep: test_attn_scores_loop_visible test_softmax_stable_visible test_attn_scores_visible test_attn_scores_hidden test_attn_weights_visible test_attn_weights_hidden
# %% attn_scores_loop
attn_scores_loop = torch.empty(inputs.shape[0], inputs.shape[0])
for i, x_i in enumerate(inputs):
    for j, x_j in enumerate(inputs):
        # four decimals, like the table in the lecture notes
        attn_scores_loop[i, j] = round(float(torch.dot(x_i, x_j)), 4)
print(attn_scores_loop)
# %% softmax_stable
def softmax_stable(x):
    """Softmax along the last dimension, shifted by the row maximum so that exp never overflows."""
    x -= x.max(dim=-1, keepdim=True).values   # saves a copy
    e = torch.exp(x)
    return e / e.sum(dim=-1, keepdim=True)


print("softmax_stable(scores + 1000):", softmax_stable(attn_scores_2 + 1000))
