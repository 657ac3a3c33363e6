"""Other idioms: map-based encode, get_batch by index arithmetic, the heads with F.scaled_dot_product_attention (no tril buffer), version 2 of the trick by cumsum, version 4 with torch.where."""
# base: solution
# expect: full
# %% encode_decode
chars = sorted(set(text))
vocab_size = len(chars)
stoi = dict(zip(chars, range(vocab_size)))
itos = dict(enumerate(chars))
def encode(s):
    return list(map(stoi.__getitem__, s))
def decode(l):
    return "".join(map(itos.__getitem__, l))
print(repr("".join(chars)))
print(vocab_size)
print(encode("hii there"))
print(decode(encode("hii there")))
# %% get_batch
torch.manual_seed(1337)
batch_size = 4
block_size = 8


def get_batch(split):
    source = {"train": train_data}.get(split, val_data)
    starts = torch.randint(len(source) - block_size, (batch_size,))
    positions = starts[:, None] + torch.arange(block_size)[None, :]
    return source[positions], source[positions + 1]


xb, yb = get_batch("train")
print(xb, yb)
# %% xbow_versions
def xbow_v1(x):
    """Version 1: xbow[b, t] = mean of x[b, :t+1], with loops."""
    B, T, C = x.shape
    xbow = torch.zeros((B, T, C))
    # 힌트 / Hint: xbow[b, t] = torch.mean(x[b, :t+1], 0)
    for b in range(B):
        for t in range(T):
            xprev = x[b, :t + 1]   # (t+1, C)
            xbow[b, t] = torch.mean(xprev, 0)
    return xbow


def xbow_v2(x):
    """Version 2: a weighted aggregation by one matrix multiply."""
    T = x.shape[1]
    # 힌트 / Hint: torch.tril(torch.ones(T, T)), divide by the row sums
    xbow2 = x.cumsum(dim=1) / torch.arange(1, T + 1, dtype=x.dtype).view(1, T, 1)
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
    wei = torch.where(tril.bool(), scores, torch.tensor(float("-inf")))
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
# %% head
class Head(nn.Module):
    """ one head of self-attention, with PyTorch's fused attention """

    def __init__(self, head_size):
        super().__init__()
        self.key = nn.Linear(n_embd, head_size, bias=False)
        self.query = nn.Linear(n_embd, head_size, bias=False)
        self.value = nn.Linear(n_embd, head_size, bias=False)
        self.p = dropout

    def forward(self, x):
        q, k, v = self.query(x), self.key(x), self.value(x)
        return F.scaled_dot_product_attention(q, k, v, is_causal=True, dropout_p=self.p if self.training else 0.0)


torch.manual_seed(1337)
head = Head(16)
x = torch.randn(4, 8, n_embd)
print(head(x).shape)
# %% multi_head_attention_batched
class MultiHeadAttentionBatched(nn.Module):
    def __init__(self, num_heads, head_size):
        super().__init__()
        self.num_heads = num_heads
        self.head_size = head_size
        self.key = nn.Linear(n_embd, num_heads * head_size, bias=False)
        self.query = nn.Linear(n_embd, num_heads * head_size, bias=False)
        self.value = nn.Linear(n_embd, num_heads * head_size, bias=False)
        self.proj = nn.Linear(n_embd, n_embd)
        self.dropout = nn.Dropout(dropout)

    def forward(self, x):
        B, T, C = x.shape
        split = lambda t: t.view(B, T, self.num_heads, self.head_size).transpose(1, 2)
        out = F.scaled_dot_product_attention(split(self.query(x)), split(self.key(x)), split(self.value(x)),
                                             is_causal=True, dropout_p=dropout if self.training else 0.0)
        return self.dropout(self.proj(out.transpose(1, 2).reshape(B, T, -1)))
