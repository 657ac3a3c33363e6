"""Fabricated loss: forward returns a plausible constant 4.5 as the loss (the old visible check only asked for a number between 4.0 and 5.5)."""
# base: solution
# expect: fail test_bigram_model_visible test_bigram_model_hidden
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
            B, T, C = logits.shape
            logits = logits.view(B * T, C)
            targets = targets.view(B * T)
            loss = torch.tensor(4.5)
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
