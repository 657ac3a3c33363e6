"""copy_weights_v2_to_v1 puts v2's key weight into v1's query and the other way round."""
# base: solution
# expect: fail test_copy_weights_visible test_copy_weights_hidden
# %% copy_weights_v2_to_v1
def copy_weights_v2_to_v1(sa_v1, sa_v2):
    """Copy v2's weights into v1."""
    with torch.no_grad():
        sa_v1.W_query.copy_(sa_v2.W_key.weight.T)
        sa_v1.W_key.copy_(sa_v2.W_query.weight.T)
        sa_v1.W_value.copy_(sa_v2.W_value.weight.T)
