"""SelfAttention_v1 computes the scores as keys @ queries.T: row i then holds key i against every query (the transposed score matrix)."""
# base: solution
# expect: fail test_self_attention_v1_visible test_self_attention_v1_hidden test_copy_weights_visible
# keep: test_self_attention_v1_trainable
# %% self_attention_v1
class SelfAttention_v1(nn.Module):
    def __init__(self, d_in, d_out):
        super().__init__()
        self.W_query = nn.Parameter(torch.rand(d_in, d_out))
        self.W_key = nn.Parameter(torch.rand(d_in, d_out))
        self.W_value = nn.Parameter(torch.rand(d_in, d_out))

    def forward(self, x):
        keys = x @ self.W_key
        queries = x @ self.W_query
        values = x @ self.W_value
        attn_scores = keys @ queries.T
        attn_weights = torch.softmax(attn_scores / keys.shape[-1]**0.5, dim=-1)
        return attn_weights @ values
