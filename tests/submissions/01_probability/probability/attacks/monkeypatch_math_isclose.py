"""Wrong chain_rule, and math.isclose patched to always say True (the tests use it)."""
# base: solution
# expect: fail test_chain_rule_visible test_chain_rule_hidden
# %% chain_rule
math.isclose = lambda *args, **kwargs: True


def chain_rule(probabilities):
    return sum(probabilities)
