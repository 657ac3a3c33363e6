"""A fully correct submission, with a few cells written the way a student would (other names, small detours)."""
# base: solution
# expect: full
# %% dot_product
query = inputs[1]   # x^(2), "journey"
x_1 = inputs[0]     # x^(1), "Your"

res = 0.
for idx, element in enumerate(x_1):
    res = res + element * query[idx]
print("by a loop:     ", res)

res_dot = torch.dot(query, x_1)
print("with torch.dot:", res_dot)
# %% context_vec_2
query = inputs[1]

context_vec_2 = torch.zeros(query.shape)
for i, x_i in enumerate(inputs):
    weight = attn_weights_2[i]
    context_vec_2 = context_vec_2 + weight * x_i
print(context_vec_2)
# %% self_attention_v1
class SelfAttention_v1(nn.Module):
    """My self-attention with three weight matrices."""

    def __init__(self, d_in, d_out):
        super().__init__()
        self.W_query = nn.Parameter(torch.rand(d_in, d_out))
        self.W_key = nn.Parameter(torch.rand(d_in, d_out))
        self.W_value = nn.Parameter(torch.rand(d_in, d_out))

    def forward(self, x):
        q = x @ self.W_query
        k = x @ self.W_key
        v = x @ self.W_value
        d_k = k.shape[1]
        scores = q @ k.T / math.sqrt(d_k)
        weights = torch.softmax(scores, dim=1)
        return weights @ v
