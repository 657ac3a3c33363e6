"""Correct: plain Python loops with .item() floats where the cell allows it, and a loop over queries in the classes' forward."""
# base: solution
# expect: full
# %% dot_product
query = inputs[1]
x_1 = inputs[0]
res = 0.0
for idx in range(len(x_1)):
    res += x_1[idx].item() * query[idx].item()
print("by a loop:     ", res)
res_dot = torch.dot(x_1, query)
print("with torch.dot:", res_dot)
# %% attn_scores_loop
n = inputs.shape[0]
attn_scores_loop = torch.zeros(n, n)
for i in range(n):
    for j in range(n):
        total = 0.0
        for k in range(inputs.shape[1]):
            total += inputs[i, k] * inputs[j, k]
        attn_scores_loop[i, j] = total
print(attn_scores_loop)
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
        rows = []
        for query in queries:                     # one query at a time, as in Q7
            weights = torch.softmax(keys @ query / keys.shape[1] ** 0.5, dim=0)
            rows.append(weights @ values)
        return torch.stack(rows)
