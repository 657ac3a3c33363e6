"""Parts 1 to 3 are right; in Q7(b) the keys of all tokens are projected with W_key.T, a shape error (RuntimeError: mat1 and mat2 shapes cannot be multiplied) that stops the cell before keys and values exist. The visible tests of the later steps of Q7 fail with a NameError; their hidden tests run each cell's own code on inputs of their own and find it right, and the classes of Q8 to Q10 keep their points."""
# base: solution
# expect: fail test_qkv_projections_visible test_qkv_projections_hidden test_query_2_scores_visible test_scaled_attn_weights_2_visible test_trainable_context_vec_2_visible
# keep: test_query_2_scores_hidden test_scaled_attn_weights_2_hidden test_trainable_context_vec_2_hidden test_qkv_weights_visible test_qkv_weights_hidden test_softmax_stable_hidden test_self_attention_v1_visible test_self_attention_v1_hidden test_self_attention_v2_visible test_copy_weights_visible
# %% qkv_projections
query_2 = x_2 @ W_query
key_2 = x_2 @ W_key
value_2 = x_2 @ W_value
print("query_2:", query_2)

queries = inputs @ W_query
keys = inputs @ W_key.T      # (6, 3) @ (2, 3): the transpose does not belong here
values = inputs @ W_value
print("inputs.shape: ", inputs.shape)
print("queries.shape:", queries.shape)
print("keys.shape:   ", keys.shape)
print("values.shape: ", values.shape)
