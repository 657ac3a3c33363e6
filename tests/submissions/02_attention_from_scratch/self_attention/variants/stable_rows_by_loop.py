"""Correct: softmax_stable handles a 2-D input one row at a time with its own maximum, and float64 input stays float64."""
# base: solution
# expect: full
# %% softmax_stable
def softmax_stable(x):
    """Softmax along the last dimension."""
    if x.dim() == 1:
        shifted = x - torch.max(x)
        exps = torch.exp(shifted)
        return exps / exps.sum()
    return torch.stack([softmax_stable(row) for row in x])


print("softmax_stable(scores + 1000):", softmax_stable(attn_scores_2 + 1000))
