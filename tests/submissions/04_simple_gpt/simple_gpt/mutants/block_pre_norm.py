"""Pre-LN (GPT-2 style) instead of the post-LN block the assignment asks for."""
# base: solution
# expect: fail test_transformer_block_hidden
# %% transformer_block
# A transformer decoder block: multi-head attention and a feed-forward network.
class TransformerBlock(nn.Module):

    def __init__(self, d_model, num_heads):
        super(TransformerBlock, self).__init__()
        self.attention = MultiHeadAttention(d_model, num_heads)
        self.norm1 = nn.LayerNorm(d_model)
        self.norm2 = nn.LayerNorm(d_model)
        self.feed_forward = nn.Sequential(
            nn.Linear(d_model, d_model * 4),  # expand
            nn.ReLU(),
            nn.Linear(d_model * 4, d_model)   # project back
        )

    def forward(self, x, mask=None):
        # 1. multi-head attention, residual connection, normalisation
        normed = self.norm1(x)
        x = x + self.attention(normed, normed, normed, mask)
        x = x + self.feed_forward(self.norm2(x))
        return x
