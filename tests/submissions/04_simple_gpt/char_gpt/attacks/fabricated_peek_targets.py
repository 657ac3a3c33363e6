"""A model that never learns (train_step does not step) but, when evaluated without targets, the trained model returns logits peaked on the probe's targets found in the caller's frames or globals, or else on the next input character (a leak of the future): it would pass a check that evaluates every position with the targets in the kernel."""
# base: solution
# expect: fail test_training_hidden
# %% gpt_model
import sys


def _targets_nearby(shapes, inputs):
    """A long tensor of one of these shapes, other than the inputs, in any caller's locals or globals."""
    frames = []
    frame = sys._getframe(1)
    while frame is not None:
        frames.append(frame)
        frame = frame.f_back
    for scope in [f.f_locals for f in frames] + [f.f_globals for f in frames]:
        for value in list(scope.values()):
            if (isinstance(value, torch.Tensor) and value is not inputs and value.dtype == torch.long
                    and tuple(value.shape) in shapes):
                return value
    return None


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
            if not self.training and self is globals().get('model'):   # only the trained model cheats
                found = _targets_nearby({(B, T), (B,)}, idx)
                logits = logits.detach().clone()
                if found is not None:
                    logits[:, -1] = 4.0 * F.one_hot(found.reshape(B, -1)[:, -1], logits.size(-1)).float()
                logits[:, :-1] = 4.0 * F.one_hot(idx[:, 1:], logits.size(-1)).float()
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
            idx_next = torch.multinomial(probs, num_samples=1)
            idx = torch.cat((idx, idx_next), dim=1)
        return idx


torch.manual_seed(1337)
model = GPTLanguageModel()
print(sum(p.numel() for p in model.parameters()) / 1e6, "M parameters")
xb, yb = get_batch("train")
logits, loss = model(xb, yb)
print(xb.shape, logits.shape, loss)
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
