"""Q7(a) draws W_key before W_query: every printed number of Q7 differs from the lecture's, but each later step is right on its own inputs and keeps its hidden points."""
# base: solution
# expect: fail test_qkv_weights_hidden test_qkv_projections_visible test_query_2_scores_visible test_scaled_attn_weights_2_visible test_trainable_context_vec_2_visible
# keep: test_qkv_weights_visible test_qkv_projections_hidden test_query_2_scores_hidden test_scaled_attn_weights_2_hidden test_trainable_context_vec_2_hidden
# %% qkv_weights
torch.manual_seed(123)

W_key = torch.nn.Parameter(torch.rand(d_in, d_out), requires_grad=False)
W_query = torch.nn.Parameter(torch.rand(d_in, d_out), requires_grad=False)
W_value = torch.nn.Parameter(torch.rand(d_in, d_out), requires_grad=False)
print("W_query:\n", W_query.data)
