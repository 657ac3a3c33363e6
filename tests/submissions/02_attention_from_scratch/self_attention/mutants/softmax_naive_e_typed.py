"""softmax_naive writes e^x with e typed as 2.718 instead of torch.exp: close enough for the visible test's four decimals, not softmax to float precision on other scores."""
# base: solution
# expect: fail test_softmax_naive_hidden
# keep: test_softmax_naive_visible
# %% softmax_naive
def softmax_naive(x):
    """Softmax of a 1-D tensor, straight from the formula exp(x_j) / sum_k exp(x_k)."""
    e = 2.718
    return e ** x / (e ** x).sum(dim=0)


attn_weights_2_naive = softmax_naive(attn_scores_2)
print("attention weights:", attn_weights_2_naive)
print("sum:", attn_weights_2_naive.sum())
