"""Causal but not a transformer: the logits come from a running mean of the embeddings, so exactly the right positions change when later tokens change (the old causality check only looked at that pattern)."""
# base: solution
# expect: fail test_gpt_hidden test_gpt_causal
# %% gpt_model
class GPT(nn.Module):

    def __init__(self, vocab_size, d_model, num_heads, d_ff, num_layers, max_len):
        super(GPT, self).__init__()
        self.max_len = max_len
        self.embedding = nn.Embedding(vocab_size, d_model)
        self.positional_encoding = PositionalEncoding(d_model, max_len)
        self.layers = nn.ModuleList([TransformerBlock(d_model, num_heads) for _ in range(num_layers)])
        self.fc_out = nn.Linear(d_model, vocab_size)

    def forward(self, x):
        h = self.positional_encoding(self.embedding(x))
        h = torch.cumsum(h, dim=1) / torch.arange(1, x.size(1) + 1).view(1, -1, 1)
        return self.fc_out(h)
