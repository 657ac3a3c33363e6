"""All three functions compute correctly but never check their input, so nothing raises ValueError."""
# base: solution
# expect: fail test_invalid_input_hidden
# %% chain_rule
def chain_rule(probabilities):
    """Joint probability of several events from their chain of conditional probabilities."""
    return math.prod(probabilities)
# %% law_of_total_probability
def law_of_total_probability(prior_A, likelihood_conditions_given_A, likelihood_conditions_given_not_A):
    """P(B1, ..., Bn) = P(A) P(B1..Bn | A) + P(not A) P(B1..Bn | not A)."""
    return (prior_A * chain_rule(likelihood_conditions_given_A)
            + (1 - prior_A) * chain_rule(likelihood_conditions_given_not_A))
# %% bayes_theorem
def bayes_theorem(prior_A, likelihood_conditions_given_A, joint_likelihood_conditions):
    """Posterior P(A | B1, ..., Bn) by Bayes' theorem."""
    return chain_rule(likelihood_conditions_given_A) * prior_A / joint_likelihood_conditions
