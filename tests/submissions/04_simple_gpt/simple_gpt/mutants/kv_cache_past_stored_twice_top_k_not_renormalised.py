"""The new cache is built by concatenating the old cache with keys that already contain it, so the past is stored twice
(the cache grows by t + 1 rows a step, not by 1); and top_k_filter zeroes the other tokens but never divides by the
kept sum."""
# base: solution
# expect: fail test_kv_cache_visible test_attention_step_hidden test_generate_cached_hidden test_sampling_filters_visible test_top_k_hidden
# %% attention_step
def attention_step(attention, x, cache=None):
    """One new token through a MultiHeadAttention, with a KV cache.

    x: (B, 1, d_model), the new token's input; cache: None or (K, V), each (B, num_heads, t, d_k).
    Returns (out, weights, (K, V)): out (B, 1, d_model), weights (B, num_heads, 1, t + 1),
    K and V (B, num_heads, t + 1, d_k).
    """
    batch_size = x.size(0)
    def heads(projected):   # (B, 1, d_model) -> (B, num_heads, 1, d_k)
        return projected.view(batch_size, 1, attention.num_heads, attention.d_k).transpose(1, 2)
    q, k, v = heads(attention.W_q(x)), heads(attention.W_k(x)), heads(attention.W_v(x))
    if cache is not None:
        k = torch.cat([cache[0], k], dim=2)   # the earlier tokens' keys, then the new one
        v = torch.cat([cache[1], v], dim=2)
    weights = F.softmax(torch.matmul(q, k.transpose(-2, -1)) / math.sqrt(attention.d_k), dim=-1)
    out = torch.matmul(weights, v).transpose(1, 2).reshape(batch_size, 1, attention.d_model)
    out = attention.W_o(out)
    if cache is not None:   # add the new rows to the cache
        return out, weights, (torch.cat([cache[0], k], dim=2), torch.cat([cache[1], v], dim=2))
    return out, weights, (k, v)
# %% sampling_filters
def top_k_filter(probs, k):
    """probs (..., V), each row summing to 1 -> the same shape: the k most probable tokens keep their
    probability, renormalised to sum 1; every other entry is exactly 0. A token exactly as probable
    as the k-th is kept too. 1 <= k <= V."""
    kth = torch.topk(probs, k, dim=-1).values[..., -1:]   # (..., 1): the k-th largest probability
    kept = torch.where(probs >= kth, probs, torch.zeros_like(probs))
    return kept


def top_p_filter(probs, p):
    """probs (..., V), each row summing to 1 -> the same shape: the smallest set of most probable tokens
    whose probabilities add up to at least p keeps its probability, renormalised to sum 1; every other
    entry is exactly 0. A token exactly as probable as the least probable kept one is kept too. 0 < p <= 1."""
    sorted_probs = torch.sort(probs, dim=-1, descending=True).values
    cumulative = torch.cumsum(sorted_probs, dim=-1)
    # the sum first reaches p at sorted position n (the last one if rounding keeps it just below p = 1)
    n = (cumulative < p).sum(dim=-1, keepdim=True).clamp(max=probs.size(-1) - 1)
    threshold = torch.gather(sorted_probs, -1, n)   # (..., 1): the smallest probability kept
    kept = torch.where(probs >= threshold, probs, torch.zeros_like(probs))
    return kept / kept.sum(dim=-1, keepdim=True)
