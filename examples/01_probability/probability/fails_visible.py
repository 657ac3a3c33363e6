"""law_of_total_probability drops the (1 - prior) weight of the not-A branch, which the visible example already catches."""
# base: solution
# expect: fail test_total_probability_visible test_total_probability_hidden test_disease_posterior_visible test_disease_posterior_hidden
# %% law_of_total_probability
def law_of_total_probability(prior_A, likelihood_conditions_given_A, likelihood_conditions_given_not_A):
    """P(B1, ..., Bn) = P(A) P(B1..Bn | A) + P(not A) P(B1..Bn | not A)."""
    if not 0.0 <= prior_A <= 1.0:
        raise ValueError(f"prior_A must lie in [0, 1], got {prior_A}")
    if len(likelihood_conditions_given_A) != len(likelihood_conditions_given_not_A):
        raise ValueError("the two likelihood lists must have the same length")
    return prior_A * chain_rule(likelihood_conditions_given_A) + chain_rule(likelihood_conditions_given_not_A)
