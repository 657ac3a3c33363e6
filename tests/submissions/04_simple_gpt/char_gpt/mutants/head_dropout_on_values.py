"""Head applies its dropout to the values instead of the attention weights."""
# base: solution
# expect: fail test_head_hidden
# %% head
class Head(nn.Module):
    """ one head of self-attention """

    def __init__(self, head_size):
        super().__init__()
        self.key = nn.Linear(n_embd, head_size, bias=False)
        self.query = nn.Linear(n_embd, head_size, bias=False)
        self.value = nn.Linear(n_embd, head_size, bias=False)
        self.register_buffer("tril", torch.tril(torch.ones(block_size, block_size)))
        self.dropout = nn.Dropout(dropout)

    def forward(self, x):
        B, T, C = x.shape
        # 힌트 / Hint: k, q = self.key(x), self.query(x); scale by k.shape[-1]**-0.5; masked_fill; softmax; dropout; @ v
        k = self.key(x)     # (B, T, hs)
        q = self.query(x)   # (B, T, hs)
        wei = q @ k.transpose(-2, -1) * k.shape[-1]**-0.5   # (B, T, T), scaled by head_size
        wei = wei.masked_fill(self.tril[:T, :T] == 0, float("-inf"))
        wei = F.softmax(wei, dim=-1)
        v = self.value(x)   # (B, T, hs)
        out = wei @ self.dropout(v)
        return out


torch.manual_seed(1337)
head = Head(16)
x = torch.randn(4, 8, n_embd)
print(head(x).shape)
