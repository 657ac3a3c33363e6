"""softmax_stable subtracts the maximum in place (x -= ...) and so changes the caller's tensor."""
# base: solution
# expect: fail test_softmax_stable_hidden
# keep: test_softmax_stable_visible
# %% softmax_stable
def softmax_stable(x):
    """Softmax along the last dimension."""
    x -= x.max(dim=-1, keepdim=True).values
    exps = torch.exp(x)
    return exps / exps.sum(dim=-1, keepdim=True)


print("softmax_stable(scores + 1000):", softmax_stable(attn_scores_2 + 1000))
