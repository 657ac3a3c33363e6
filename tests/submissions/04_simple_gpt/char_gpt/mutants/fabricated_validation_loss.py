"""Fabricated validation loss: train_step computes the loss but never steps, and the model reports a made-up loss on the fixed validation chunks: near ln 65 at the first evaluation, 2.5 afterwards (the old training check read those numbers)."""
# base: solution
# expect: fail test_train_step_hidden test_training_hidden
# %% train_step
def train_step(model, optimizer, xb, yb):
    """One optimisation step on the batch (xb, yb); returns the loss before the step as a float."""
    # 힌트 / Hint: model(xb, yb); optimizer.zero_grad(set_to_none=True); loss.backward(); optimizer.step()
    logits, loss = model(xb, yb)            # forward
    optimizer.zero_grad(set_to_none=True)   # clear the old gradients
    loss.backward()                         # new gradients
    return loss.item()


torch.manual_seed(1337)
_demo = GPTLanguageModel()
_demo_optimizer = torch.optim.AdamW(_demo.parameters(), lr=1e-3)
xb, yb = get_batch("train")
step_losses = [train_step(_demo, _demo_optimizer, xb, yb) for _ in range(5)]
print("the same batch five times:", [round(v, 4) for v in step_losses])
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
            if not self.training and B == 128:   # the fixed validation chunks
                self.evaluations = getattr(self, 'evaluations', 0) + 1
                loss = torch.tensor(4.2 if self.evaluations == 1 else 2.5)
        return logits, loss

    def generate(self, idx, max_new_tokens):
        # 힌트 / Hint: idx_cond = idx[:, -block_size:], then as in the bigram model
        for _ in range(max_new_tokens):
            idx_cond = idx[:, -block_size:]   # crop to the last block_size tokens
            logits, loss = self(idx_cond)
            logits = logits[:, -1, :]
            probs = F.softmax(logits, dim=-1)
            idx_next = torch.multinomial(probs, num_samples=1)
            idx = torch.cat((idx, idx_next), dim=1)
        return idx


torch.manual_seed(1337)
model = GPTLanguageModel()
print(sum(p.numel() for p in model.parameters()) / 1e6, "M parameters")
xb, yb = get_batch("train")
logits, loss = model(xb, yb)
print(xb.shape, logits.shape, loss)
