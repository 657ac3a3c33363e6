"""Right numbers everywhere and every visible test passes, but no function validates its input: only the hidden invalid-input test fails."""
# base: solution
# expect: fail test_invalid_input_hidden
# %% chain_rule
def chain_rule(probabilities):
    """Joint probability of several events from their chain of conditional probabilities."""
    result = 1
    for p in probabilities:
        result = result * p
    return result
# %% law_of_total_probability
def law_of_total_probability(prior_A, likelihood_conditions_given_A, likelihood_conditions_given_not_A):
    """P(B1, ..., Bn) = P(A) P(B1..Bn | A) + P(not A) P(B1..Bn | not A)."""
    p_not_A = 1 - prior_A
    return prior_A * chain_rule(likelihood_conditions_given_A) + p_not_A * chain_rule(likelihood_conditions_given_not_A)
# %% bayes_theorem
def bayes_theorem(prior_A, likelihood_conditions_given_A, joint_likelihood_conditions):
    """Posterior P(A | B1, ..., Bn) by Bayes' theorem."""
    if joint_likelihood_conditions == 0:
        return 0.0  # "no evidence, no belief": silently hides the problem instead of raising
    return chain_rule(likelihood_conditions_given_A) * prior_A / joint_likelihood_conditions
