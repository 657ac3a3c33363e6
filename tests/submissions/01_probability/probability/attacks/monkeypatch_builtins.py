"""Wrong answers everywhere, with builtins patched: abs always 0, isinstance always True, AssertionError silenced."""
# base: solution
# expect: fail test_chain_rule_hidden test_total_probability_hidden
# %% chain_rule
import builtins

builtins.abs = lambda x: 0.0
builtins.isinstance = lambda obj, cls: True
builtins.AssertionError = type("Quiet", (Exception,), {})


def chain_rule(probabilities):
    return sum(probabilities)
# %% law_of_total_probability
def law_of_total_probability(prior_A, likelihood_conditions_given_A, likelihood_conditions_given_not_A):
    return 0.5
