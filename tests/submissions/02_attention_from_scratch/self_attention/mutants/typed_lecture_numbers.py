"""The softmax weights of Q3(c) and the context vector of Q7(e) are typed in from the lecture's printout: the visible tests pass, the hidden ones see four decimals only. The context vector of Q4, computed from the typed weights, is judged on them and keeps its points."""
# base: solution
# expect: fail test_attn_weights_2_hidden test_trainable_context_vec_2_hidden
# keep: test_attn_weights_2_visible test_context_vec_2_visible test_context_vec_2_hidden test_trainable_context_vec_2_visible
# %% attn_weights_2
attn_weights_2 = torch.tensor([0.1385, 0.2379, 0.2333, 0.1240, 0.1082, 0.1581])
print("attention weights:", attn_weights_2)
# %% trainable_context_vec_2
context_vec_2 = torch.tensor([0.3061, 0.8210])
print(context_vec_2)
