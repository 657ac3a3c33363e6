"""law_of_total_probability weights the not-A branch by prior_A instead of 1 - prior_A."""
# base: solution
# expect: fail test_total_probability_visible test_total_probability_hidden test_disease_posterior_visible test_disease_posterior_hidden
# %% law_of_total_probability
def law_of_total_probability(prior_A, likelihood_conditions_given_A, likelihood_conditions_given_not_A):
    """P(B1, ..., Bn) = P(A) P(B1..Bn | A) + P(not A) P(B1..Bn | not A)."""
    if not 0.0 <= prior_A <= 1.0:
        raise ValueError(f"prior_A must lie in [0, 1], got {prior_A}")
    if len(likelihood_conditions_given_A) != len(likelihood_conditions_given_not_A):
        raise ValueError("the two likelihood lists must have the same length")
    joint_given_A = chain_rule(likelihood_conditions_given_A)
    joint_given_not_A = chain_rule(likelihood_conditions_given_not_A)
    return prior_A * joint_given_A + prior_A * joint_given_not_A
