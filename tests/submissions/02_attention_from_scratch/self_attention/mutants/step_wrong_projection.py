"""Q7(b) projects the keys of all tokens with W_query (a copy-paste slip)."""
# base: solution
# expect: fail test_qkv_projections_hidden test_query_2_scores_visible test_scaled_attn_weights_2_visible test_trainable_context_vec_2_visible
# %% qkv_projections
query_2 = x_2 @ W_query
key_2 = x_2 @ W_key
value_2 = x_2 @ W_value
print("query_2:", query_2)

queries = inputs @ W_query
keys = inputs @ W_query
values = inputs @ W_value
print("queries.shape:", queries.shape)
