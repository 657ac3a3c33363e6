"""MultiHeadAttention forgets the dropout after the projection."""
# base: solution
# expect: fail test_multi_head_attention_hidden test_block_hidden test_gpt_model_hidden
# %% multi_head_attention
class MultiHeadAttention(nn.Module):
    """ multiple heads of self-attention in parallel """

    def __init__(self, num_heads, head_size):
        super().__init__()
        # 힌트 / Hint: nn.ModuleList([Head(head_size) for _ in range(num_heads)]); proj; dropout
        self.heads = nn.ModuleList([Head(head_size) for _ in range(num_heads)])
        self.proj = nn.Linear(n_embd, n_embd)
        self.dropout = nn.Dropout(dropout)   # after the projection

    def forward(self, x):
        # 힌트 / Hint: torch.cat([h(x) for h in self.heads], dim=-1)
        out = torch.cat([h(x) for h in self.heads], dim=-1)
        out = self.proj(out)
        return out


class FeedFoward(nn.Module):
    """ a simple linear layer followed by a non-linearity """

    def __init__(self, n_embd):
        super().__init__()
        # 힌트 / Hint: nn.Sequential(nn.Linear(...), nn.ReLU(), nn.Linear(...), nn.Dropout(dropout))
        self.net = nn.Sequential(
            nn.Linear(n_embd, 4 * n_embd),
            nn.ReLU(),
            nn.Linear(4 * n_embd, n_embd),
            nn.Dropout(dropout),
        )

    def forward(self, x):
        return self.net(x)


torch.manual_seed(1337)
mha = MultiHeadAttention(4, 16)
ffwd = FeedFoward(n_embd)
x = torch.randn(2, 8, n_embd)
print(mha(x).shape, ffwd(x).shape)
print("parameters:", sum(p.numel() for p in mha.parameters()), sum(p.numel() for p in ffwd.parameters()))
