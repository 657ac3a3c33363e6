"""Q7(e) mixes the inputs instead of the value vectors: a 3-dimensional context vector."""
# base: solution
# expect: fail test_trainable_context_vec_2_visible test_trainable_context_vec_2_hidden
# %% trainable_context_vec_2
context_vec_2 = attn_weights_2 @ inputs
print(context_vec_2)
