"""attention_step appends the new key and value along the heads axis (dim=1) instead of the sequence axis; and
top_p_filter keeps only the tokens whose running sum stays at most p, one token too few: the kept set does not reach
p."""
# base: solution
# expect: fail test_kv_cache_visible test_attention_step_hidden test_generate_cached_hidden test_sampling_filters_visible test_top_p_hidden
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
        k = torch.cat([cache[0], k], dim=1)   # the earlier tokens' keys, then the new one
        v = torch.cat([cache[1], v], dim=1)
    weights = F.softmax(torch.matmul(q, k.transpose(-2, -1)) / math.sqrt(attention.d_k), dim=-1)
    out = torch.matmul(weights, v).transpose(1, 2).reshape(batch_size, 1, attention.d_model)
    out = attention.W_o(out)
    return out, weights, (k, v)
# %% sampling_filters
def top_k_filter(probs, k):
    """probs (..., V), each row summing to 1 -> the same shape: the k most probable tokens keep their
    probability, renormalised to sum 1; every other entry is exactly 0. A token exactly as probable
    as the k-th is kept too. 1 <= k <= V."""
    kth = torch.topk(probs, k, dim=-1).values[..., -1:]   # (..., 1): the k-th largest probability
    kept = torch.where(probs >= kth, probs, torch.zeros_like(probs))
    return kept / kept.sum(dim=-1, keepdim=True)


def top_p_filter(probs, p):
    """Keep the most probable tokens while their running sum stays at most p."""
    sorted_probs, order = torch.sort(probs, dim=-1, descending=True)
    cumulative = torch.cumsum(sorted_probs, dim=-1)
    kept_sorted = torch.where(cumulative <= p, sorted_probs, torch.zeros_like(sorted_probs))
    kept = torch.zeros_like(probs).scatter(-1, order, kept_sorted)
    return kept / kept.sum(dim=-1, keepdim=True)
