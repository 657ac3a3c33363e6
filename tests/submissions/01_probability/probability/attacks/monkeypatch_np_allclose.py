"""Wrong chain_rule, and np.allclose patched to always say True."""
# base: solution
# expect: fail test_chain_rule_visible test_chain_rule_hidden
# keep: test_total_probability_hidden test_bayes_theorem_hidden
# %% chain_rule
np.allclose = lambda *args, **kwargs: True
np.isclose = lambda *args, **kwargs: np.True_


def chain_rule(probabilities):
    return sum(probabilities)
