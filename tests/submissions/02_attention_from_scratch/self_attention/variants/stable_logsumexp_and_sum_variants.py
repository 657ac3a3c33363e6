"""Correct: softmax_stable through torch.logsumexp, softmax_naive with a plain .sum(), the sum normalisation with torch.sum."""
# base: solution
# expect: full
# %% attn_weights_2_tmp
attn_weights_2_tmp = attn_scores_2 / torch.sum(attn_scores_2)
print(attn_weights_2_tmp)
# %% softmax_naive
def softmax_naive(x):
    exps = x.exp()
    return exps / exps.sum()


attn_weights_2_naive = softmax_naive(attn_scores_2)
print(attn_weights_2_naive)
# %% softmax_stable
def softmax_stable(x):
    """Softmax along the last dimension, through the log of the normaliser."""
    return torch.exp(x - torch.logsumexp(x, dim=-1, keepdim=True))


print("softmax_stable(scores + 1000):", softmax_stable(attn_scores_2 + 1000))
