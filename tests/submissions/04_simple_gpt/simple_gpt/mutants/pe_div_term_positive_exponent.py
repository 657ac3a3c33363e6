"""div_term computed as 10000^(+2i/d): the exponent's sign is lost, so the frequencies grow instead of shrinking."""
# base: solution
# expect: fail test_positional_encoding_visible test_positional_encoding_hidden
# %% positional_encoding
# Positional encoding: tells the model where each token sits in the sequence.
class PositionalEncoding(nn.Module):

    def __init__(self, d_model, max_len=5000):
        # d_model: the embedding size of the transformer
        super(PositionalEncoding, self).__init__()
        positional_embedding_matrix = torch.zeros(max_len, d_model)
        position = torch.arange(0, max_len, dtype=torch.float).unsqueeze(1)
        # 1 / 10000^(2i / d_model) for every even dimension 2i
        div_term = torch.exp(torch.arange(0, d_model, 2).float() * (np.log(10000.0) / d_model))
        positional_embedding_matrix[:, 0::2] = torch.sin(position * div_term)
        positional_embedding_matrix[:, 1::2] = torch.cos(position * div_term)
        # add a batch dimension: (1, max_len, d_model)
        positional_embedding_matrix = positional_embedding_matrix.unsqueeze(0)
        # a buffer: saved with the model and moved with .to(), but never trained
        self.register_buffer('positional_embedding_matrix', positional_embedding_matrix)

    def forward(self, x):
        x = x + self.positional_embedding_matrix[:, :x.shape[1], :]
        return x
