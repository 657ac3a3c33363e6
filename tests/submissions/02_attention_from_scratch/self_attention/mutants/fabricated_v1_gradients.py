"""SelfAttention_v1 whose output is the value projection alone; W_query and W_key enter multiplied by 0, so their gradients are 0 and agree with central differences (the old gradient property passed it), but they can never learn."""
# base: solution
# expect: fail test_self_attention_v1_trainable test_self_attention_v1_hidden
# %% self_attention_v1
class SelfAttention_v1(nn.Module):
    def __init__(self, d_in, d_out):
        super().__init__()
        self.W_query = nn.Parameter(torch.rand(d_in, d_out))
        self.W_key = nn.Parameter(torch.rand(d_in, d_out))
        self.W_value = nn.Parameter(torch.rand(d_in, d_out))

    def forward(self, x):
        unused = 0 * (self.W_query.sum() + self.W_key.sum())
        return x @ self.W_value + unused
