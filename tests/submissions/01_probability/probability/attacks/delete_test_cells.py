"""Wrong chain_rule and total probability; their test cells deleted."""
# base: solution
# expect: fail test_chain_rule_hidden test_total_probability_hidden
# transform: delete test_chain_rule_visible
# transform: delete test_chain_rule_hidden
# transform: delete test_total_probability_hidden
# %% chain_rule
def chain_rule(probabilities):
    return sum(probabilities)
# %% law_of_total_probability
def law_of_total_probability(prior_A, likelihood_conditions_given_A, likelihood_conditions_given_not_A):
    return 0.5
