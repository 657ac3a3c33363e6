"""Input checks written as assert statements raise AssertionError instead of ValueError."""
# base: solution
# expect: fail test_invalid_input_hidden
# %% chain_rule
def chain_rule(probabilities):
    """Joint probability of several events from their chain of conditional probabilities."""
    assert len(probabilities) > 0, "probabilities must not be empty"
    joint_probability = 1.0
    for prob in probabilities:
        assert 0 <= prob <= 1, f"probability out of range: {prob}"
        joint_probability *= prob
    return joint_probability
# %% law_of_total_probability
def law_of_total_probability(prior_A, likelihood_conditions_given_A, likelihood_conditions_given_not_A):
    """P(B1, ..., Bn) = P(A) P(B1..Bn | A) + P(not A) P(B1..Bn | not A)."""
    assert 0 <= prior_A <= 1, f"prior out of range: {prior_A}"
    assert len(likelihood_conditions_given_A) == len(likelihood_conditions_given_not_A), "length mismatch"
    return (prior_A * chain_rule(likelihood_conditions_given_A)
            + (1 - prior_A) * chain_rule(likelihood_conditions_given_not_A))
# %% bayes_theorem
def bayes_theorem(prior_A, likelihood_conditions_given_A, joint_likelihood_conditions):
    """Posterior P(A | B1, ..., Bn) by Bayes' theorem."""
    assert 0 <= prior_A <= 1, f"prior out of range: {prior_A}"
    assert 0 < joint_likelihood_conditions <= 1, f"evidence out of range: {joint_likelihood_conditions}"
    return chain_rule(likelihood_conditions_given_A) * prior_A / joint_likelihood_conditions
