"""Made-up record for Q5 context vectors: zero weights and zero context vectors, consistent with weights @ inputs (the old per-step property passed it)."""
# base: solution
# expect: fail test_all_context_vecs_hidden
# %% all_context_vecs
attn_weights = torch.zeros(6, 6)
all_context_vecs = torch.zeros(6, 3)
print(all_context_vecs)
