"""A model that returns the same logits at every position whatever the input (a learnable bias only): its loss can fall a little, but it has learned no rule."""
# base: solution
# expect: fail test_gpt_hidden test_gpt_causal test_training_loss
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
        return self.fc_out.bias.expand(x.size(0), x.size(1), -1) + 0.0
