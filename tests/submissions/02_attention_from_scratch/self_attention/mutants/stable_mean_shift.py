"""softmax_stable subtracts each row's mean instead of its maximum: fine for narrow rows, overflow for widely spread ones."""
# base: solution
# expect: fail test_softmax_stable_hidden
# keep: test_softmax_stable_visible
# %% softmax_stable
def softmax_stable(x):
    """Softmax along the last dimension."""
    exps = torch.exp(x - x.mean(dim=-1, keepdim=True))
    return exps / exps.sum(dim=-1, keepdim=True)


print("softmax_stable(scores + 1000):", softmax_stable(attn_scores_2 + 1000))
