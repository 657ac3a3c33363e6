"""Wrong chain_rule, and np.allclose patched to always say True."""
# base: solution
# expect: fail test_chain_rule_visible test_chain_rule_hidden
# %% chain_rule
np.allclose = lambda *args, **kwargs: True


def chain_rule(probabilities):
    return sum(probabilities)
