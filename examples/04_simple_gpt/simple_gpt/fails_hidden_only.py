"""The shapes and parameter counts are right, so every visible test passes, but two lines of the model are not: MultiHeadAttention forgets to divide the scores by sqrt(d_k) (B7), and the block's feed-forward sub-layer has no residual connection, norm2(ff) instead of norm2(x + ff) (B11). The hidden tests compare the layers' and the whole GPT's outputs with the reference's on fixed weights. The extra credit's KV cache carries the same two mistakes (no sqrt(d_k) in attention_step, no residual around the cached feed-forward), so the cached tokens still equal the uncached ones in the visible test, and its hidden tests, which compare with the reference on fixed weights, lose their points."""
# base: solution
# expect: fail test_multi_head_attention_hidden test_transformer_block_hidden test_gpt_hidden test_attention_step_hidden test_generate_cached_hidden
# keep: test_kv_cache_visible test_sampling_filters_visible test_top_k_hidden test_top_p_hidden test_training_loss test_generate_text_visible test_positional_encoding_visible test_positional_encoding_hidden test_multi_head_attention_visible test_transformer_block_visible test_gpt_visible test_labels_visible test_labels_hidden test_train_step_visible
# %% multi_head_attention
class MultiHeadAttention(nn.Module):

    def __init__(self, d_model, num_heads):
        super(MultiHeadAttention, self).__init__()
        assert d_model % num_heads == 0, "d_model must be divisible by num_heads"
        self.d_model = d_model
        self.num_heads = num_heads
        self.d_k = d_model // num_heads
        self.W_q = nn.Linear(d_model, d_model)
        self.W_k = nn.Linear(d_model, d_model)
        self.W_v = nn.Linear(d_model, d_model)
        self.W_o = nn.Linear(d_model, d_model)

    def forward(self, Q, K, V, mask=None):
        batch_size = Q.size(0)
        Q = self.W_q(Q).view(batch_size, -1, self.num_heads, self.d_k).permute(0, 2, 1, 3)
        K = self.W_k(K).view(batch_size, -1, self.num_heads, self.d_k).permute(0, 2, 1, 3)
        V = self.W_v(V).view(batch_size, -1, self.num_heads, self.d_k).permute(0, 2, 1, 3)
        scores = torch.matmul(Q, K.transpose(-2, -1))   # the division by sqrt(d_k) is missing
        if mask is not None:
            scores = scores.masked_fill(mask == 0, -1e9)
        attention = F.softmax(scores, dim=-1)
        out = torch.matmul(attention, V)
        out = out.transpose(1, 2).contiguous().view(batch_size, -1, self.d_model)
        return self.W_o(out)
# %% transformer_block
class TransformerBlock(nn.Module):

    def __init__(self, d_model, num_heads):
        super(TransformerBlock, self).__init__()
        self.attention = MultiHeadAttention(d_model, num_heads)
        self.norm1 = nn.LayerNorm(d_model)
        self.norm2 = nn.LayerNorm(d_model)
        self.feed_forward = nn.Sequential(nn.Linear(d_model, 4 * d_model), nn.ReLU(), nn.Linear(4 * d_model, d_model))

    def forward(self, x, mask=None):
        attention = self.attention(x, x, x, mask)
        x = self.norm1(x + attention)
        x = self.norm2(self.feed_forward(x))   # the residual x + ... is missing here
        return x
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
    weights = F.softmax(torch.matmul(q, k.transpose(-2, -1)), dim=-1)
    out = torch.matmul(weights, v).transpose(1, 2).reshape(batch_size, 1, attention.d_model)
    out = attention.W_o(out)
    return out, weights, (k, v)
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
            x = model.embedding(token) + model.positional_encoding.positional_embedding_matrix[:, position:position + 1]
            for i, layer in enumerate(model.layers):
                attended, _, caches[i] = attention_step(layer.attention, x, caches[i])
                x = layer.norm1(x + attended)
                x = layer.norm2(layer.feed_forward(x))
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
