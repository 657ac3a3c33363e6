"""The bigram model hands its (B, T, C) logits and (B, T) targets to F.cross_entropy without flattening them, so its own cell stops with "RuntimeError: Expected target size (4, 65), got torch.Size([4, 8])" and the bigram's training cell cannot run. Sampling never asks for a loss and still works; every cell after the bigram is right and keeps its points."""
# base: solution
# expect: fail test_bigram_model_visible test_bigram_model_hidden
# keep: test_bigram_generate_hidden test_encode_decode_hidden test_get_batch_hidden test_xbow_versions_hidden test_head_hidden test_gpt_model_visible test_gpt_model_hidden test_estimate_loss_visible test_train_step_visible test_training_hidden
# %% bigram_model
torch.manual_seed(1337)


class BigramLanguageModel(nn.Module):

    def __init__(self, vocab_size):
        super().__init__()
        self.token_embedding_table = nn.Embedding(vocab_size, vocab_size)

    def forward(self, idx, targets=None):
        logits = self.token_embedding_table(idx)   # (B, T, C)
        loss = None if targets is None else F.cross_entropy(logits, targets)
        return logits, loss

    def generate(self, idx, max_new_tokens):
        for _ in range(max_new_tokens):
            logits, _ = self(idx)
            probs = F.softmax(logits[:, -1, :], dim=-1)
            idx = torch.cat((idx, torch.multinomial(probs, num_samples=1)), dim=1)
        return idx


m = BigramLanguageModel(vocab_size)
logits, loss = m(xb, yb)
print(logits.shape)
print(loss)
print(decode(m.generate(idx=torch.zeros((1, 1), dtype=torch.long), max_new_tokens=100)[0].tolist()))
