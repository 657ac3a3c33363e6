"""Block drops the residual connection around the feed-forward layer."""
# base: solution
# expect: fail test_block_hidden test_gpt_model_hidden
# %% block
class Block(nn.Module):
    """ Transformer block: communication followed by computation """

    def __init__(self, n_embd, n_head):
        # n_embd: embedding dimension, n_head: the number of heads we'd like
        super().__init__()
        head_size = n_embd // n_head
        self.sa = MultiHeadAttention(n_head, head_size)
        self.ffwd = FeedFoward(n_embd)
        self.ln1 = nn.LayerNorm(n_embd)
        self.ln2 = nn.LayerNorm(n_embd)

    def forward(self, x):
        # 힌트 / Hint: 두 줄, 각각 x = x + ... / two lines, each x = x + ...
        x = x + self.sa(self.ln1(x))
        x = self.ffwd(self.ln2(x))
        return x


torch.manual_seed(1337)
block = Block(n_embd, n_head=n_head)
print(block(torch.randn(2, 8, n_embd)).shape, sum(p.numel() for p in block.parameters()))
