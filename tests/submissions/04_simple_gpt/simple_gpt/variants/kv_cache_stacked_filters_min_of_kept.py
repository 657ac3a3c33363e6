"""Correct: attention_step keeps K and V stacked in one tensor (2, B, h, t, d_k) inside the returned pair and splits the
heads with unflatten; top-k's threshold is the minimum of torch.topk's values, top-p marks the sorted prefix by the
sum before each token and keeps every token at least as probable as its least probable member."""
# base: solution
# expect: full
# %% attention_step
def attention_step(attention, x, cache=None):
    """The new token's key and value, stacked, appended to the cache."""
    split = lambda t: t.unflatten(-1, (attention.num_heads, attention.d_k)).transpose(1, 2)   # (B, h, 1, d_k)
    q = split(attention.W_q(x))
    kv = torch.stack([split(attention.W_k(x)), split(attention.W_v(x))])             # (2, B, h, 1, d_k)
    if cache is not None:
        kv = torch.cat([torch.stack(cache), kv], dim=3)
    scores = q @ kv[0].transpose(2, 3) / attention.d_k ** 0.5
    weights = scores.softmax(dim=-1)
    out = (weights @ kv[1]).transpose(1, 2).flatten(2)
    return attention.W_o(out), weights, (kv[0], kv[1])
# %% sampling_filters
def top_k_filter(probs, k):
    smallest_kept = torch.topk(probs, k, dim=-1).values.min(dim=-1, keepdim=True).values
    kept = probs * (probs >= smallest_kept)
    return kept / kept.sum(dim=-1, keepdim=True)


def top_p_filter(probs, p):
    sorted_probs = probs.sort(dim=-1, descending=True).values
    in_prefix = (sorted_probs.cumsum(dim=-1) - sorted_probs) < p       # the sum before it has not reached p
    smallest_kept = sorted_probs.masked_fill(~in_prefix, float("inf")).min(dim=-1, keepdim=True).values
    kept = probs * (probs >= smallest_kept)
    return kept / kept.sum(dim=-1, keepdim=True)
