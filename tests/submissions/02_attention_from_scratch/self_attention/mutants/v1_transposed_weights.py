"""SelfAttention_v1 stores its matrices as (d_out, d_in), like nn.Linear, and uses W.T where W is expected: other draws under the seed, and fixed (d_in, d_out) weights do not fit."""
# base: solution
# expect: fail test_self_attention_v1_visible test_self_attention_v1_hidden test_self_attention_v1_trainable test_copy_weights_visible
# keep: test_copy_weights_hidden
# %% self_attention_v1
class SelfAttention_v1(nn.Module):
    def __init__(self, d_in, d_out):
        super().__init__()
        self.W_query = nn.Parameter(torch.rand(d_out, d_in))
        self.W_key = nn.Parameter(torch.rand(d_out, d_in))
        self.W_value = nn.Parameter(torch.rand(d_out, d_in))

    def forward(self, x):
        keys = x @ self.W_key.T
        queries = x @ self.W_query.T
        values = x @ self.W_value.T
        attn_scores = queries @ keys.T
        attn_weights = torch.softmax(attn_scores / keys.shape[-1]**0.5, dim=-1)
        return attn_weights @ values
