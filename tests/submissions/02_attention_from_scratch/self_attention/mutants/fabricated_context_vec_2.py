"""Made-up record for Q4: weights and context vector both zeros, so context = weights @ inputs holds (the old per-step property passed it) without any weighted sum."""
# base: solution
# expect: fail test_context_vec_2_hidden
# %% context_vec_2
attn_weights_2 = torch.zeros(6)
context_vec_2 = torch.zeros(3)
print(context_vec_2)
