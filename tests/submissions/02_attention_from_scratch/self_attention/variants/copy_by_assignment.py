"""Correct: the copy puts in new nn.Parameters built from weight.T (still trainable), or sets .data."""
# base: solution
# expect: full
# %% copy_weights_v2_to_v1
def copy_weights_v2_to_v1(sa_v1, sa_v2):
    """Copy v2's weights into v1."""
    sa_v1.W_query = nn.Parameter(sa_v2.W_query.weight.detach().T.clone())
    sa_v1.W_key.data = sa_v2.W_key.weight.data.T.clone()
    for name in ("W_value",):
        setattr(sa_v1, name, nn.Parameter(getattr(sa_v2, name).weight.T.detach().clone()))
