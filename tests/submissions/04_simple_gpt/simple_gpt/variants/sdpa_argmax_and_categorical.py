"""Correct: F.scaled_dot_product_attention with a boolean mask; generation by argmax at tiny temperatures and torch.distributions.Categorical otherwise."""
# base: solution
# expect: full
# %% multi_head_attention
# Multi-head attention: several attention heads computed in parallel.
class MultiHeadAttention(nn.Module):

    def __init__(self, d_model, num_heads):
        # d_model: the embedding size; num_heads: the number of attention heads
        super(MultiHeadAttention, self).__init__()
        assert d_model % num_heads == 0, "d_model must be divisible by num_heads"
        self.d_model = d_model
        self.num_heads = num_heads
        self.d_k = d_model // num_heads
        self.W_q = nn.Linear(d_model, d_model)  # query projection
        self.W_k = nn.Linear(d_model, d_model)  # key projection
        self.W_v = nn.Linear(d_model, d_model)  # value projection
        self.W_o = nn.Linear(d_model, d_model)  # output projection

    def forward(self, Q, K, V, mask=None):
        batch_size = Q.size(0)
        Q = self.W_q(Q).view(batch_size, -1, self.num_heads, self.d_k).permute(0, 2, 1, 3)
        K = self.W_k(K).view(batch_size, -1, self.num_heads, self.d_k).permute(0, 2, 1, 3)
        V = self.W_v(V).view(batch_size, -1, self.num_heads, self.d_k).permute(0, 2, 1, 3)
                # masked positions (mask == 0) get a very negative score: weight 0 after the softmax
        # attention weights: a softmax over the keys (the last axis)
        out = F.scaled_dot_product_attention(Q, K, V, attn_mask=None if mask is None else mask.bool())
        # concatenate the heads: (batch, num_heads, seq, d_k) -> (batch, seq, d_model)
        out = out.transpose(1, 2).contiguous().view(batch_size, -1, self.d_model)
        return self.W_o(out)
# %% generate_text
def generate_text(model, start_text, vocab, vocab_reverse, max_length=100, temperature=1.0):
    model.eval()
    ids = [vocab[w] for w in start_text.split()]
    words = start_text.split()
    with torch.no_grad():
        for _ in range(max_length):
            context = torch.tensor([ids[-model.max_len:]])
            logits = model(context)[0, -1]
            if temperature < 1e-3:
                next_id = int(torch.argmax(logits))
            else:
                next_id = int(torch.distributions.Categorical(logits=logits / temperature).sample())
            ids.append(next_id)
            words.append(vocab_reverse[next_id])
    return " ".join(words)
