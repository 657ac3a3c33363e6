"""Parts 1-2 done, parts 3-4 left blank: the names Part 3 reuses (attn_scores_2, attn_weights_2, context_vec_2) still hold Part 2's values, which must earn nothing in Part 3."""
# base: release
# keep: test_dot_product_visible test_dot_product_hidden test_attn_scores_2_visible test_attn_scores_2_hidden test_attn_weights_2_tmp_visible test_attn_weights_2_tmp_hidden test_softmax_naive_visible test_softmax_naive_hidden test_attn_weights_2_visible test_attn_weights_2_hidden test_context_vec_2_visible test_context_vec_2_hidden test_attn_scores_loop_visible test_attn_scores_loop_hidden test_attn_scores_visible test_attn_scores_hidden test_attn_weights_visible test_attn_weights_hidden test_all_context_vecs_visible test_all_context_vecs_hidden test_softmax_stable_visible test_softmax_stable_hidden
# expect: fail test_qkv_weights_visible test_qkv_weights_hidden test_qkv_projections_visible test_qkv_projections_hidden test_query_2_scores_visible test_query_2_scores_hidden test_scaled_attn_weights_2_visible test_scaled_attn_weights_2_hidden test_trainable_context_vec_2_visible test_trainable_context_vec_2_hidden test_self_attention_v1_visible test_self_attention_v1_hidden test_self_attention_v1_trainable test_self_attention_v2_visible test_self_attention_v2_hidden test_copy_weights_visible test_copy_weights_hidden
# %% dot_product
query = inputs[1]
x_1 = inputs[0]
res = 0.
for idx, element in enumerate(x_1):
    res += element * query[idx]
res_dot = torch.dot(x_1, query)
print(res, res_dot)
# %% attn_scores_2
query = inputs[1]
attn_scores_2 = torch.empty(inputs.shape[0])
for i, x_i in enumerate(inputs):
    attn_scores_2[i] = torch.dot(x_i, query)
print(attn_scores_2)
# %% attn_weights_2_tmp
attn_weights_2_tmp = attn_scores_2 / attn_scores_2.sum()
# %% softmax_naive
def softmax_naive(x):
    return torch.exp(x) / torch.exp(x).sum(dim=0)

attn_weights_2_naive = softmax_naive(attn_scores_2)
# %% attn_weights_2
attn_weights_2 = torch.softmax(attn_scores_2, dim=0)
# %% context_vec_2
context_vec_2 = torch.zeros(3)
for i, x_i in enumerate(inputs):
    context_vec_2 += attn_weights_2[i] * x_i
# %% attn_scores_loop
attn_scores_loop = torch.empty(6, 6)
for i, x_i in enumerate(inputs):
    for j, x_j in enumerate(inputs):
        attn_scores_loop[i, j] = torch.dot(x_i, x_j)
# %% attn_scores
attn_scores = inputs @ inputs.T
# %% attn_weights
attn_weights = torch.softmax(attn_scores, dim=-1)
# %% all_context_vecs
all_context_vecs = attn_weights @ inputs
# %% softmax_stable
def softmax_stable(x):
    z = torch.exp(x - x.max(dim=-1, keepdim=True).values)
    return z / z.sum(dim=-1, keepdim=True)
