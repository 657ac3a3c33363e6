"""Correct: attention_step with einsum and a scale of d_k ** -0.5; generate_cached adds row pe[0, position] by
broadcasting and runs the blocks through a helper; top-k renormalises in log space (softmax of the log probabilities
with the rest at -inf), top-p keeps every token whose more probable tokens add up to less than p, computed without
sorting."""
# base: solution
# expect: full
# %% attention_step
def attention_step(attention, x, cache=None):
    """One token through the attention, keys and values kept per head."""
    B, h, d_k = x.size(0), attention.num_heads, attention.d_k
    q, k, v = (proj(x).reshape(B, 1, h, d_k).permute(0, 2, 1, 3) for proj in (attention.W_q, attention.W_k, attention.W_v))
    if cache is not None:
        past_k, past_v = cache
        k, v = torch.cat((past_k, k), dim=-2), torch.cat((past_v, v), dim=-2)
    weights = torch.softmax(torch.einsum("bhqd,bhkd->bhqk", q, k) * d_k ** -0.5, dim=-1)
    out = torch.einsum("bhqk,bhkd->bqhd", weights, v).reshape(B, 1, h * d_k)
    return attention.W_o(out), weights, (k, v)
# %% generate_cached
def block_step(layer, x, cache):
    attended, _, cache = attention_step(layer.attention, x, cache)
    x = layer.norm1(x + attended)
    return layer.norm2(x + layer.feed_forward(x)), cache


def generate_cached(model, tokens, max_new_tokens, temperature=1.0, top_k=None, top_p=None):
    """tokens (B, T0) -> (B, T0 + max_new_tokens), one block_step per layer and token."""
    if tokens.size(1) + max_new_tokens > model.max_len:
        raise ValueError(f"{tokens.size(1)} + {max_new_tokens} tokens do not fit into max_len={model.max_len}")
    model.eval()
    caches = [None] * len(model.layers)
    out = tokens
    pe = model.positional_encoding.positional_embedding_matrix
    with torch.no_grad():
        for position in range(tokens.size(1) + max_new_tokens - 1):
            x = model.embedding(out[:, position:position + 1]) + pe[0, position]
            for i in range(len(caches)):
                x, caches[i] = block_step(model.layers[i], x, caches[i])
            logits = model.fc_out(x.squeeze(1))
            if position + 1 < out.size(1):
                continue
            probs = F.softmax(logits / temperature, dim=-1)
            if top_k is not None:
                probs = top_k_filter(probs, top_k)
            if top_p is not None:
                probs = top_p_filter(probs, top_p)
            out = torch.cat([out, torch.multinomial(probs, 1)], dim=1)
    return out
# %% sampling_filters
def top_k_filter(probs, k):
    """Renormalised in log space: the dropped tokens get -inf, whose exp is exactly 0."""
    kth = probs.sort(dim=-1, descending=True).values[..., k - 1].unsqueeze(-1)
    return torch.softmax(probs.log().masked_fill(probs < kth, float("-inf")), dim=-1)


def top_p_filter(probs, p):
    """A token stays when the tokens more probable than it hold less than p together."""
    more_probable = probs.unsqueeze(-2) > probs.unsqueeze(-1)          # [..., i, j]: token j beats token i
    mass_above = (probs.unsqueeze(-2) * more_probable).sum(dim=-1)
    kept = probs * (mass_above < p)
    return kept / kept.sum(dim=-1, keepdim=True)
