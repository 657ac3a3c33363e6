"""The shapes and parameter counts are right, so every visible test passes, but two lines of the model are not: MultiHeadAttention forgets to divide the scores by sqrt(d_k) (B7), and the block's feed-forward sub-layer has no residual connection, norm2(ff) instead of norm2(x + ff) (B11). The hidden tests compare the layers' and the whole GPT's outputs with the reference's on fixed weights."""
# base: solution
# expect: fail test_multi_head_attention_hidden test_transformer_block_hidden test_gpt_hidden
# keep: test_training_loss test_generate_text_visible test_positional_encoding_visible test_positional_encoding_hidden test_multi_head_attention_visible test_transformer_block_visible test_gpt_visible test_labels_visible test_labels_hidden test_train_step_visible
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
