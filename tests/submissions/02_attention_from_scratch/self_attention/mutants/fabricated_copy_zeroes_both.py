"""Made-up copy for Q10: zeroes the weights of both modules, so v1 and v2 agree (both output zeros; the old largest-difference bound passed it) but nothing was copied."""
# base: solution
# expect: fail test_copy_weights_visible test_copy_weights_hidden
# %% copy_weights_v2_to_v1
def copy_weights_v2_to_v1(sa_v1, sa_v2):
    """Make the two modules agree."""
    with torch.no_grad():
        for name in ("W_query", "W_key", "W_value"):
            getattr(sa_v1, name).zero_()
            getattr(sa_v2, name).weight.zero_()
