"""Other correct choices: reshape and Categorical sampling in the bigram model, a hand-written sample variance in LayerNorm1d, crop only when needed, inference_mode and plain floats in estimate_loss, model.zero_grad."""
# base: solution
# expect: full
# %% bigram_model
torch.manual_seed(1337)


class BigramLanguageModel(nn.Module):

    def __init__(self, vocab_size):
        super().__init__()
        self.token_embedding_table = nn.Embedding(vocab_size, vocab_size)

    def forward(self, idx, targets=None):
        logits = self.token_embedding_table(idx)
        if targets is None:
            return logits, None
        logits = logits.reshape(-1, logits.shape[-1])
        return logits, F.cross_entropy(logits, targets.reshape(-1))

    def generate(self, idx, max_new_tokens):
        for _ in range(max_new_tokens):
            logits, _ = self(idx)
            nxt = torch.distributions.Categorical(logits=logits[:, -1, :]).sample()
            idx = torch.cat([idx, nxt[:, None]], dim=1)
        return idx


m = BigramLanguageModel(vocab_size)
logits, loss = m(xb, yb)
print(logits.shape, loss)
# %% layernorm1d
class LayerNorm1d:

    def __init__(self, dim, eps=1e-5, momentum=0.1):
        self.eps = eps
        self.gamma = torch.ones(dim)
        self.beta = torch.zeros(dim)

    def __call__(self, x):
        n = x.shape[1]
        mean = x.sum(dim=1, keepdim=True) / n
        var = ((x - mean) ** 2).sum(dim=1, keepdim=True) / (n - 1)
        self.out = self.gamma * ((x - mean) / (var + self.eps).sqrt()) + self.beta
        return self.out

    def parameters(self):
        return [self.gamma, self.beta]


torch.manual_seed(1337)
module = LayerNorm1d(100)
x = torch.randn(32, 100)
x = module(x)
# %% gpt_model
class GPTLanguageModel(nn.Module):

    def __init__(self):
        super().__init__()
        # 힌트 / Hint: 다섯 개의 층을 위의 순서대로 / the five layers in the order above
        self.token_embedding_table = nn.Embedding(vocab_size, n_embd)
        self.position_embedding_table = nn.Embedding(block_size, n_embd)
        self.blocks = nn.Sequential(*[Block(n_embd, n_head=n_head) for _ in range(n_layer)])
        self.ln_f = nn.LayerNorm(n_embd)   # final layer norm
        self.lm_head = nn.Linear(n_embd, vocab_size)

    def forward(self, idx, targets=None):
        B, T = idx.shape
        # 힌트 / Hint: tok_emb + pos_emb, blocks, ln_f, lm_head; the loss as in the bigram model
        tok_emb = self.token_embedding_table(idx)                                   # (B, T, C)
        pos_emb = self.position_embedding_table(torch.arange(T, device=idx.device))  # (T, C)
        x = tok_emb + pos_emb
        x = self.blocks(x)
        x = self.ln_f(x)
        logits = self.lm_head(x)   # (B, T, vocab_size)
        if targets is None:
            loss = None
        else:
            B, T, C = logits.shape
            logits = logits.view(B * T, C)
            targets = targets.view(B * T)
            loss = F.cross_entropy(logits, targets)
        return logits, loss

    def generate(self, idx, max_new_tokens):
        # 힌트 / Hint: idx_cond = idx[:, -block_size:], then as in the bigram model
        for _ in range(max_new_tokens):
            idx_cond = idx if idx.shape[1] <= block_size else idx[:, idx.shape[1] - block_size:]
            logits, loss = self(idx_cond)
            logits = logits[:, -1, :]
            idx_next = torch.multinomial(logits.softmax(-1), 1)
            idx = torch.cat((idx, idx_next), dim=1)
        return idx


torch.manual_seed(1337)
model = GPTLanguageModel()
print(sum(p.numel() for p in model.parameters()) / 1e6, "M parameters")
xb, yb = get_batch("train")
logits, loss = model(xb, yb)
print(xb.shape, logits.shape, loss)
# %% estimate_loss
def estimate_loss(model, eval_iters):
    was_training = model.training
    model.eval()
    result = {}
    with torch.inference_mode():
        for split in ("train", "val"):
            total = 0.0
            for _ in range(eval_iters):
                total += model(*get_batch(split))[1].item()
            result[split] = total / eval_iters
    model.train()
    return result


losses = estimate_loss(model, eval_iters=5)
print(losses)
# %% train_step
def train_step(model, optimizer, xb, yb):
    model.zero_grad(set_to_none=True)
    _, loss = model(xb, yb)
    loss.backward()
    optimizer.step()
    return float(loss)


torch.manual_seed(1337)
_demo = GPTLanguageModel()
_demo_optimizer = torch.optim.AdamW(_demo.parameters(), lr=1e-3)
xb, yb = get_batch("train")
step_losses = [train_step(_demo, _demo_optimizer, xb, yb) for _ in range(5)]
print(step_losses)
