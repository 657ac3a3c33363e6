"""generate_cached adds the positional encoding of the next position (position + 1) to each token, so every token is
encoded one place too far; and top_p_filter keeps one token more than the smallest set reaching p."""
# base: solution
# expect: fail test_generate_cached_hidden test_sampling_filters_visible test_top_p_hidden
# %% generate_cached
def generate_cached(model, tokens, max_new_tokens, temperature=1.0, top_k=None, top_p=None):
    """tokens (B, T0) -> (B, T0 + max_new_tokens): the prompt and the sampled tokens, with a KV cache per block."""
    if tokens.size(1) + max_new_tokens > model.max_len:
        raise ValueError(f"{tokens.size(1)} + {max_new_tokens} tokens do not fit into max_len={model.max_len}")
    model.eval()
    caches = [None] * len(model.layers)   # one (K, V) per block
    out = tokens
    with torch.no_grad():
        for position in range(tokens.size(1) + max_new_tokens - 1):
            token = out[:, position:position + 1]   # (B, 1): one token, never the whole sequence
            # 힌트 / Hint: 임베딩 + 이 위치의 위치 인코딩, 블록마다 attention_step과 두 부분층, 그리고 fc_out
            #              embedding + this position's encoding, per block attention_step and the two sub-layers, then fc_out
            x = model.embedding(token) + model.positional_encoding.positional_embedding_matrix[:, position + 1:position + 2]
            for i, layer in enumerate(model.layers):
                attended, _, caches[i] = attention_step(layer.attention, x, caches[i])
                x = layer.norm1(x + attended)
                x = layer.norm2(x + layer.feed_forward(x))
            logits = model.fc_out(x)[:, -1]   # (B, vocab): the next token's logits
            if position + 1 < out.size(1):
                continue   # still reading the prompt: the next token is already known
            probs = F.softmax(logits / temperature, dim=-1)
            if top_k is not None:
                probs = top_k_filter(probs, top_k)
            if top_p is not None:
                probs = top_p_filter(probs, top_p)
            out = torch.cat([out, torch.multinomial(probs, 1)], dim=1)
    return out
# %% sampling_filters
def top_k_filter(probs, k):
    """probs (..., V), each row summing to 1 -> the same shape: the k most probable tokens keep their
    probability, renormalised to sum 1; every other entry is exactly 0. A token exactly as probable
    as the k-th is kept too. 1 <= k <= V."""
    kth = torch.topk(probs, k, dim=-1).values[..., -1:]   # (..., 1): the k-th largest probability
    kept = torch.where(probs >= kth, probs, torch.zeros_like(probs))
    return kept / kept.sum(dim=-1, keepdim=True)


def top_p_filter(probs, p):
    """probs (..., V), each row summing to 1 -> the same shape: the smallest set of most probable tokens
    whose probabilities add up to at least p keeps its probability, renormalised to sum 1; every other
    entry is exactly 0. A token exactly as probable as the least probable kept one is kept too. 0 < p <= 1."""
    sorted_probs = torch.sort(probs, dim=-1, descending=True).values
    cumulative = torch.cumsum(sorted_probs, dim=-1)
    # the sum first reaches p at sorted position n (the last one if rounding keeps it just below p = 1)
    n = ((cumulative < p).sum(dim=-1, keepdim=True) + 1).clamp(max=probs.size(-1) - 1)
    threshold = torch.gather(sorted_probs, -1, n)   # (..., 1): the smallest probability kept
    kept = torch.where(probs >= threshold, probs, torch.zeros_like(probs))
    return kept / kept.sum(dim=-1, keepdim=True)
