"""copy_weights_v2_to_v1 assigns .weight through .data without the transpose: v1's matrices become (d_out, d_in)."""
# base: solution
# expect: fail test_copy_weights_visible test_copy_weights_hidden
# %% copy_weights_v2_to_v1
def copy_weights_v2_to_v1(sa_v1, sa_v2):
    """Copy v2's weights into v1."""
    sa_v1.W_query.data = sa_v2.W_query.weight.data.clone()
    sa_v1.W_key.data = sa_v2.W_key.weight.data.clone()
    sa_v1.W_value.data = sa_v2.W_value.weight.data.clone()
