"""The heads are split with view(batch, num_heads, -1, d_k) directly, which mixes positions and heads instead of separating them."""
# base: solution
# expect: fail test_multi_head_attention_hidden
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
        Q = self.W_q(Q).view(batch_size, self.num_heads, -1, self.d_k)
        K = self.W_k(K).view(batch_size, self.num_heads, -1, self.d_k)
        V = self.W_v(V).view(batch_size, self.num_heads, -1, self.d_k)
        scores = torch.matmul(Q, K.transpose(-2, -1)) / math.sqrt(self.d_k)
        # masked positions (mask == 0) get a very negative score: weight 0 after the softmax
        if mask is not None:
            scores = scores.masked_fill(mask == 0, -1e9)
        # attention weights: a softmax over the keys (the last axis)
        attention = F.softmax(scores, dim=-1)
        out = torch.matmul(attention, V)
        # concatenate the heads: (batch, num_heads, seq, d_k) -> (batch, seq, d_model)
        out = out.transpose(1, 2).contiguous().view(batch_size, -1, self.d_model)
        return self.W_o(out)
