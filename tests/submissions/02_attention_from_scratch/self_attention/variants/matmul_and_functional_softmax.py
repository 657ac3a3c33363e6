"""Correct: torch.matmul instead of @, F.softmax instead of torch.softmax, transpose(0, 1) / .mT, and other ways to write the scale."""
# base: solution
# expect: full
# %% attn_weights_2
import torch.nn.functional as F
attn_weights_2 = F.softmax(attn_scores_2, dim=-1)
print(attn_weights_2)
# %% attn_scores
attn_scores = torch.matmul(inputs, inputs.transpose(0, 1))
print(attn_scores)
# %% attn_weights
attn_weights = F.softmax(attn_scores, dim=1)
print(attn_weights)
# %% all_context_vecs
all_context_vecs = torch.matmul(attn_weights, inputs)
# %% qkv_projections
query_2 = torch.matmul(x_2, W_query)
key_2 = torch.matmul(x_2, W_key)
value_2 = torch.matmul(x_2, W_value)
queries = torch.matmul(inputs, W_query)
keys = torch.matmul(inputs, W_key)
values = torch.matmul(inputs, W_value)
# %% query_2_scores
keys_2 = keys[1]
attn_score_22 = torch.dot(query_2, keys_2)
attn_scores_2 = torch.matmul(keys, query_2)
print(attn_scores_2)
# %% scaled_attn_weights_2
d_k = keys.shape[1]
attn_weights_2 = F.softmax(attn_scores_2 / torch.sqrt(torch.tensor(float(d_k))), dim=0)
print(attn_weights_2)
# %% trainable_context_vec_2
context_vec_2 = torch.matmul(attn_weights_2, values)
# %% self_attention_v1
class SelfAttention_v1(nn.Module):
    def __init__(self, d_in, d_out):
        super().__init__()
        self.W_query = nn.Parameter(torch.rand(d_in, d_out))
        self.W_key = nn.Parameter(torch.rand(d_in, d_out))
        self.W_value = nn.Parameter(torch.rand(d_in, d_out))

    def forward(self, x):
        keys = torch.matmul(x, self.W_key)
        queries = torch.matmul(x, self.W_query)
        values = torch.matmul(x, self.W_value)
        attn_scores = torch.matmul(queries, keys.mT)
        attn_weights = F.softmax(attn_scores * keys.shape[-1] ** -0.5, dim=-1)
        return torch.matmul(attn_weights, values)
# %% self_attention_v2
class SelfAttention_v2(nn.Module):
    def __init__(self, d_in, d_out, qkv_bias=False):
        super().__init__()
        self.W_query = nn.Linear(d_in, d_out, bias=qkv_bias)
        self.W_key = nn.Linear(d_in, d_out, bias=qkv_bias)
        self.W_value = nn.Linear(d_in, d_out, bias=qkv_bias)

    def forward(self, x):
        keys = self.W_key(x)
        queries = self.W_query(x)
        values = self.W_value(x)
        attn_weights = F.softmax(torch.matmul(queries, keys.transpose(-2, -1)) / math.sqrt(keys.size(-1)), dim=-1)
        return torch.matmul(attn_weights, values)
