"""Correct: torch.einsum for every product (scores, context vectors, projections, both classes)."""
# base: solution
# expect: full
# %% attn_scores
attn_scores = torch.einsum("id,jd->ij", inputs, inputs)
print(attn_scores)
# %% all_context_vecs
all_context_vecs = torch.einsum("ij,jd->id", attn_weights, inputs)
print(all_context_vecs)
# %% qkv_projections
query_2 = torch.einsum("i,io->o", x_2, W_query)
key_2 = torch.einsum("i,io->o", x_2, W_key)
value_2 = torch.einsum("i,io->o", x_2, W_value)
queries = torch.einsum("ti,io->to", inputs, W_query)
keys = torch.einsum("ti,io->to", inputs, W_key)
values = torch.einsum("ti,io->to", inputs, W_value)
print("query_2:", query_2)
# %% query_2_scores
keys_2 = keys[1]
attn_score_22 = torch.einsum("d,d->", query_2, keys_2)
attn_scores_2 = torch.einsum("d,td->t", query_2, keys)
print(attn_scores_2)
# %% trainable_context_vec_2
context_vec_2 = torch.einsum("t,to->o", attn_weights_2, values)
print(context_vec_2)
# %% self_attention_v1
class SelfAttention_v1(nn.Module):
    def __init__(self, d_in, d_out):
        super().__init__()
        self.W_query = nn.Parameter(torch.rand(d_in, d_out))
        self.W_key = nn.Parameter(torch.rand(d_in, d_out))
        self.W_value = nn.Parameter(torch.rand(d_in, d_out))

    def forward(self, x):
        q = torch.einsum("ti,io->to", x, self.W_query)
        k = torch.einsum("ti,io->to", x, self.W_key)
        v = torch.einsum("ti,io->to", x, self.W_value)
        scores = torch.einsum("qd,kd->qk", q, k) / math.sqrt(k.shape[-1])
        return torch.einsum("qk,kd->qd", torch.softmax(scores, dim=-1), v)
# %% self_attention_v2
class SelfAttention_v2(nn.Module):
    def __init__(self, d_in, d_out, qkv_bias=False):
        super().__init__()
        self.W_query = nn.Linear(d_in, d_out, bias=qkv_bias)
        self.W_key = nn.Linear(d_in, d_out, bias=qkv_bias)
        self.W_value = nn.Linear(d_in, d_out, bias=qkv_bias)

    def forward(self, x):
        q, k, v = self.W_query(x), self.W_key(x), self.W_value(x)
        scores = torch.einsum("qd,kd->qk", q, k) / math.sqrt(k.shape[-1])
        return torch.einsum("qk,kd->qd", torch.softmax(scores, dim=-1), v)
