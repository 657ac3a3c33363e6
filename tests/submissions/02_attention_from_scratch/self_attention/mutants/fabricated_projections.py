"""Made-up record for Q7(b): the cell zeroes the three weight matrices and writes zero projections, consistent with input @ W (the old per-step property passed it)."""
# base: solution
# expect: fail test_qkv_projections_hidden
# %% qkv_projections
W_query = W_key = W_value = torch.zeros(3, 2)
query_2 = key_2 = value_2 = torch.zeros(2)
queries = keys = values = torch.zeros(6, 2)
print("query_2:", query_2)
