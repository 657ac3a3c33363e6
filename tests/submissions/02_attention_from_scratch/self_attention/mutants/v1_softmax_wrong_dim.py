"""SelfAttention_v1 applies the softmax over the queries (dim=0) instead of over the keys."""
# base: solution
# expect: fail test_self_attention_v1_visible test_self_attention_v1_hidden test_copy_weights_visible
# keep: test_self_attention_v1_trainable test_copy_weights_hidden
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
        attn_scores = queries @ keys.T
        attn_weights = torch.softmax(attn_scores / keys.shape[-1]**0.5, dim=0)
        return attn_weights @ values
