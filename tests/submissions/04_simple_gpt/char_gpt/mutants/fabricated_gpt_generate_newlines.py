"""Fabricated generation: generate appends token 0 (the newline) max_new_tokens times: the right shape, the context kept, in the vocabulary, without the model."""
# base: solution
# expect: fail test_gpt_generate_hidden
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
            idx_cond = idx[:, -block_size:]   # crop to the last block_size tokens
            logits, loss = self(idx_cond)
            logits = logits[:, -1, :]
            probs = F.softmax(logits, dim=-1)
            idx_next = torch.zeros_like(idx[:, :1])
            idx = torch.cat((idx, idx_next), dim=1)
        return idx


torch.manual_seed(1337)
model = GPTLanguageModel()
print(sum(p.numel() for p in model.parameters()) / 1e6, "M parameters")
xb, yb = get_batch("train")
logits, loss = model(xb, yb)
print(xb.shape, logits.shape, loss)
