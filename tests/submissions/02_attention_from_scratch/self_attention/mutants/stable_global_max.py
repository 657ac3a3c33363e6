"""softmax_stable subtracts the largest entry of the whole tensor: rows far below it underflow to 0 / 0."""
# base: solution
# expect: fail test_softmax_stable_visible test_softmax_stable_hidden
# %% softmax_stable
def softmax_stable(x):
    """Softmax along the last dimension."""
    exps = torch.exp(x - x.max())
    return exps / exps.sum(dim=-1, keepdim=True)


print("softmax_stable(scores + 1000):", softmax_stable(attn_scores_2 + 1000))
