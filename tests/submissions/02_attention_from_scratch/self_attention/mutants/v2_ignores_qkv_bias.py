"""SelfAttention_v2 always builds bias-free layers, whatever qkv_bias says: the default case is right, qkv_bias=True is not."""
# base: solution
# expect: fail test_self_attention_v2_hidden
# keep: test_self_attention_v2_visible test_copy_weights_visible test_copy_weights_hidden
# %% self_attention_v2
class SelfAttention_v2(nn.Module):
    def __init__(self, d_in, d_out, qkv_bias=False):
        super().__init__()
        self.W_query = nn.Linear(d_in, d_out, bias=False)
        self.W_key = nn.Linear(d_in, d_out, bias=False)
        self.W_value = nn.Linear(d_in, d_out, bias=False)

    def forward(self, x):
        keys = self.W_key(x)
        queries = self.W_query(x)
        values = self.W_value(x)
        attn_scores = queries @ keys.T
        attn_weights = torch.softmax(attn_scores / keys.shape[-1]**0.5, dim=-1)
        return attn_weights @ values
