"""Q2 types the query x^(2) in from the lecture's table of embeddings instead of taking inputs[1]: the lecture's six scores come out exactly, but the cell keeps scoring against "journey" whatever the inputs are."""
# base: solution
# expect: fail test_attn_scores_2_hidden
# keep: test_attn_scores_2_visible test_attn_weights_2_tmp_visible test_softmax_naive_visible test_attn_weights_2_visible
# %% attn_scores_2
query = torch.tensor([0.55, 0.87, 0.66])   # x^(2), "journey", from the table
attn_scores_2 = torch.empty(inputs.shape[0])
for i, x_i in enumerate(inputs):
    attn_scores_2[i] = torch.dot(x_i, query)
print(attn_scores_2)
