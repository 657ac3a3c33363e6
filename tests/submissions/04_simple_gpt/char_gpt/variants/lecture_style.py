"""Written as in the lecture notebook: debug prints in the bigram's forward (as the seed had), the later lecture's proj = Linear(num_heads * head_size, n_embd), the block with named intermediate values."""
# base: solution
# expect: full
# %% bigram_model
torch.manual_seed(1337)


class BigramLanguageModel(nn.Module):

    def __init__(self, vocab_size):
        super().__init__()
        # each token directly reads off the logits for the next token from a lookup table
        self.token_embedding_table = nn.Embedding(vocab_size, vocab_size)

    def forward(self, idx, targets=None):
        # 힌트 / Hint: logits = self.token_embedding_table(idx); logits.view(B*T, C), targets.view(B*T)
        logits = self.token_embedding_table(idx)   # (B, T, C)
        if targets is None:
            loss = None
        else:
            print(f'logits.shape: {logits.shape}')
            B, T, C = logits.shape
            logits = logits.view(B * T, C)
            print(f'target: {targets.shape}')
            targets = targets.view(B * T)
            loss = F.cross_entropy(logits, targets)
        return logits, loss

    def generate(self, idx, max_new_tokens):
        # 힌트 / Hint: logits[:, -1, :], F.softmax(..., dim=-1), torch.multinomial(probs, num_samples=1), torch.cat
        for _ in range(max_new_tokens):
            logits, loss = self(idx)
            logits = logits[:, -1, :]                           # (B, C)
            probs = F.softmax(logits, dim=-1)                   # (B, C)
            idx_next = torch.multinomial(probs, num_samples=1)  # (B, 1)
            idx = torch.cat((idx, idx_next), dim=1)             # (B, T+1)
        return idx


m = BigramLanguageModel(vocab_size)
logits, loss = m(xb, yb)
print(logits.shape)
print(loss)
print(decode(m.generate(idx=torch.zeros((1, 1), dtype=torch.long), max_new_tokens=100)[0].tolist()))
# %% multi_head_attention
class MultiHeadAttention(nn.Module):
    """ multiple heads of self-attention in parallel """

    def __init__(self, num_heads, head_size):
        super().__init__()
        # 힌트 / Hint: nn.ModuleList([Head(head_size) for _ in range(num_heads)]); proj; dropout
        self.heads = nn.ModuleList([Head(head_size) for _ in range(num_heads)])
        self.proj = nn.Linear(head_size * num_heads, n_embd)
        self.dropout = nn.Dropout(dropout)   # after the projection

    def forward(self, x):
        # 힌트 / Hint: torch.cat([h(x) for h in self.heads], dim=-1)
        out = torch.cat([h(x) for h in self.heads], dim=-1)
        out = self.dropout(self.proj(out))
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
        attended = self.sa(self.ln1(x))
        x = x + attended
        computed = self.ffwd(self.ln2(x))
        x = computed + x
        return x


torch.manual_seed(1337)
block = Block(n_embd, n_head=n_head)
print(block(torch.randn(2, 8, n_embd)).shape, sum(p.numel() for p in block.parameters()))
# %% xbow_versions
def xbow_v1(x):
    """Version 1: xbow[b, t] = mean of x[b, :t+1], with loops."""
    B, T, C = x.shape
    xbow = torch.zeros((B, T, C))
    # 힌트 / Hint: xbow[b, t] = torch.mean(x[b, :t+1], 0)
    for b in range(B):
        for t in range(T):
            xbow[b, t] = x[b, :t + 1].sum(0) / (t + 1)
    return xbow


def xbow_v2(x):
    """Version 2: a weighted aggregation by one matrix multiply."""
    T = x.shape[1]
    # 힌트 / Hint: torch.tril(torch.ones(T, T)), divide by the row sums
    wei = torch.tril(torch.ones(T, T))
    wei = wei / wei.sum(1, keepdim=True)
    xbow2 = wei @ x   # (T, T) @ (B, T, C) -> (B, T, C)
    return xbow2


def xbow_v3(x):
    """Version 3: softmax of a masked matrix of zeros."""
    T = x.shape[1]
    tril = torch.tril(torch.ones(T, T))
    # 힌트 / Hint: wei.masked_fill(tril == 0, float('-inf')), F.softmax(wei, dim=-1)
    wei = torch.zeros((T, T))
    wei = wei.masked_fill(tril == 0, float("-inf"))
    wei = F.softmax(wei, dim=-1)
    xbow3 = wei @ x
    return xbow3


def xbow_v4(x, scores=None):
    """Version 4: softmax of masked scores (B, T, T); all-zero scores when none are given."""
    B, T, C = x.shape
    if scores is None:
        scores = torch.zeros((B, T, T))
    tril = torch.tril(torch.ones(T, T))
    # 힌트 / Hint: 버전 3과 같게, 다만 scores에서 시작 / as version 3, but start from scores
    wei = scores.masked_fill(tril == 0, float("-inf"))
    wei = F.softmax(wei, dim=-1)
    out = wei @ x
    return out


torch.manual_seed(1337)
B, T, C = 4, 8, 2   # batch, time, channels
x = torch.randn(B, T, C)
xbow, xbow2, xbow3, xbow4 = xbow_v1(x), xbow_v2(x), xbow_v3(x), xbow_v4(x)
print(x[0])
print(xbow[0])
print("allclose with the default atol=1e-8:", torch.allclose(xbow, xbow2))
print("allclose with atol=1e-6:", [torch.allclose(xbow, other, atol=1e-6) for other in (xbow2, xbow3, xbow4)])
