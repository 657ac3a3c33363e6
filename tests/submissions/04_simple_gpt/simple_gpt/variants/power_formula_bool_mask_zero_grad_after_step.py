"""Correct: the positional encodings from 10000 ** (2i / d) with torch.outer; a boolean mask from ones().tril(); zero_grad after the step."""
# base: solution
# expect: full
# %% positional_encoding
class PositionalEncoding(nn.Module):
    def __init__(self, d_model, max_len=5000):
        super().__init__()
        pe = torch.zeros(max_len, d_model)
        positions = torch.arange(max_len, dtype=torch.float32)
        frequencies = 1.0 / (10000.0 ** (torch.arange(0, d_model, 2, dtype=torch.float32) / d_model))
        angles = torch.outer(positions, frequencies)
        pe[:, 0::2] = angles.sin()
        pe[:, 1::2] = angles.cos()
        self.register_buffer("positional_embedding_matrix", pe[None])   # (1, max_len, d_model)

    def forward(self, x):
        return x + self.positional_embedding_matrix[:, : x.size(1)]
# %% gpt_model
# A simplified GPT
class GPT(nn.Module):

    def __init__(self, vocab_size, d_model, num_heads, d_ff, num_layers, max_len):
        super(GPT, self).__init__()
        self.max_len = max_len   # the longest sequence the positional encodings cover
        self.embedding = nn.Embedding(vocab_size, d_model)
        self.positional_encoding = PositionalEncoding(d_model, max_len)
        # num_layers transformer blocks
        self.layers = nn.ModuleList([TransformerBlock(d_model, num_heads) for _ in range(num_layers)])
        self.fc_out = nn.Linear(d_model, vocab_size)

    def forward(self, x):
        # embeddings plus positional encodings
        x = self.embedding(x)
        x = self.positional_encoding(x)
        seq_len = x.size(1)
        mask = torch.ones(seq_len, seq_len, dtype=torch.bool).tril()
        for layer in self.layers:
            x = layer(x, mask)
        # the logits of the next token at every position
        logits = self.fc_out(x)
        return logits
# %% train_step
def train_step(model, optimizer, criterion, inputs, labels):
    model.train()
    logits = model(inputs)
    vocab = logits.shape[-1]
    loss = criterion(logits.view(-1, vocab), labels.contiguous().view(-1))
    loss.backward()
    optimizer.step()
    optimizer.zero_grad(set_to_none=True)   # cleared after the step instead of before the next one
    return float(loss)
