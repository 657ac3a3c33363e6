"""Made-up weights for Q7(a): three (3, 2) zero matrices, which have the right shape and lie in [0, 1) (the old range property of the visible test passed them)."""
# base: solution
# expect: fail test_qkv_weights_visible test_qkv_weights_hidden
# %% qkv_weights
torch.manual_seed(123)
W_query = torch.nn.Parameter(torch.zeros(d_in, d_out), requires_grad=False)
W_key = torch.nn.Parameter(torch.zeros(d_in, d_out), requires_grad=False)
W_value = torch.nn.Parameter(torch.zeros(d_in, d_out), requires_grad=False)
print("W_query:\n", W_query.data)
