"""copy_weights_v2_to_v1 puts in new parameters with requires_grad=False: the outputs agree, but v1 can no longer be trained."""
# base: solution
# expect: fail test_copy_weights_hidden
# keep: test_copy_weights_visible
# %% copy_weights_v2_to_v1
def copy_weights_v2_to_v1(sa_v1, sa_v2):
    """Copy v2's weights into v1."""
    sa_v1.W_query = nn.Parameter(sa_v2.W_query.weight.T.detach().clone(), requires_grad=False)
    sa_v1.W_key = nn.Parameter(sa_v2.W_key.weight.T.detach().clone(), requires_grad=False)
    sa_v1.W_value = nn.Parameter(sa_v2.W_value.weight.T.detach().clone(), requires_grad=False)
