"""Made-up record for Q7(e): zero weights and a zero context vector, consistent with weights @ values (the old per-step property passed it)."""
# base: solution
# expect: fail test_trainable_context_vec_2_hidden
# %% trainable_context_vec_2
attn_weights_2 = torch.zeros(6)
context_vec_2 = torch.zeros(2)
print(context_vec_2)
