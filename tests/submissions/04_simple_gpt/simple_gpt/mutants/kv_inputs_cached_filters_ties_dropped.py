"""No real cache anywhere: attention_step caches the inputs x, not the keys and values, and projects every earlier
token again at each step (the outputs are right, but the cache is (B, t + 1, d_model) and each step does t + 1
projections instead of one), and generate_cached runs the whole sequence through the model at every step (the right
tokens, none of the saving); and both filters keep exactly k tokens or the exact prefix of the sorted order, so a
token as probable as the last kept one is dropped or kept depending on where the sort put it."""
# base: solution
# expect: fail test_kv_cache_visible test_attention_step_hidden test_generate_cached_hidden test_top_k_hidden test_top_p_hidden
# %% attention_step
def attention_step(attention, x, cache=None):
    """Keep the inputs and project them all again: simple, but not a KV cache."""
    batch_size = x.size(0)
    inputs = x if cache is None else torch.cat([cache[0], x], dim=1)   # (B, t + 1, d_model)
    seq = inputs.size(1)
    q = attention.W_q(x).view(batch_size, 1, attention.num_heads, attention.d_k).transpose(1, 2)
    k = attention.W_k(inputs).view(batch_size, seq, attention.num_heads, attention.d_k).transpose(1, 2)
    v = attention.W_v(inputs).view(batch_size, seq, attention.num_heads, attention.d_k).transpose(1, 2)
    weights = F.softmax(q @ k.transpose(-2, -1) / math.sqrt(attention.d_k), dim=-1)
    out = attention.W_o((weights @ v).transpose(1, 2).reshape(batch_size, 1, attention.d_model))
    return out, weights, (inputs, inputs)
# %% generate_cached
def generate_cached(model, tokens, max_new_tokens, temperature=1.0, top_k=None, top_p=None):
    """The whole sequence through the model for every new token."""
    if tokens.size(1) + max_new_tokens > model.max_len:
        raise ValueError(f"{tokens.size(1)} + {max_new_tokens} tokens do not fit into max_len={model.max_len}")
    model.eval()
    out = tokens
    with torch.no_grad():
        for _ in range(max_new_tokens):
            logits = model(out)[:, -1]
            probs = F.softmax(logits / temperature, dim=-1)
            if top_k is not None:
                probs = top_k_filter(probs, top_k)
            if top_p is not None:
                probs = top_p_filter(probs, top_p)
            out = torch.cat([out, torch.multinomial(probs, 1)], dim=1)
    return out
# %% sampling_filters
def top_k_filter(probs, k):
    """Exactly k tokens, as torch.topk picks them."""
    values, indices = torch.topk(probs, k, dim=-1)
    kept = torch.zeros_like(probs).scatter(-1, indices, values)
    return kept / kept.sum(dim=-1, keepdim=True)


def top_p_filter(probs, p):
    """The sorted prefix whose sum before each token is below p."""
    sorted_probs, order = torch.sort(probs, dim=-1, descending=True)
    before = torch.cumsum(sorted_probs, dim=-1) - sorted_probs
    kept_sorted = torch.where(before < p, sorted_probs, torch.zeros_like(sorted_probs))
    kept = torch.zeros_like(probs).scatter(-1, order, kept_sorted)
    return kept / kept.sum(dim=-1, keepdim=True)
