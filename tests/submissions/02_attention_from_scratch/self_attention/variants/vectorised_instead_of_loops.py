"""Correct: every loop of the notebook replaced by a vectorised expression (the loops are not graded as loops)."""
# base: solution
# expect: full
# %% dot_product
query = inputs[1]
x_1 = inputs[0]
res = (x_1 * query).sum()
res_dot = torch.dot(x_1, query)
print(res, res_dot)
# %% attn_scores_2
query = inputs[1]
attn_scores_2 = inputs @ query
print(attn_scores_2)
# %% context_vec_2
context_vec_2 = (attn_weights_2[:, None] * inputs).sum(dim=0)
print(context_vec_2)
# %% attn_scores_loop
attn_scores_loop = (inputs[:, None, :] * inputs[None, :, :]).sum(dim=-1)
print(attn_scores_loop)
