"""The positional encodings are never added."""
# base: solution
# expect: fail test_gpt_hidden
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
        pass
        seq_len = x.size(1)
        mask = torch.tril(torch.ones(seq_len, seq_len, device=x.device))
        for layer in self.layers:
            x = layer(x, mask)
        # the logits of the next token at every position
        logits = self.fc_out(x)
        return logits
