"""bayes_theorem checks the prior but not the evidence, so zero evidence ends in ZeroDivisionError."""
# base: solution
# expect: fail test_invalid_input_hidden
# %% bayes_theorem
def bayes_theorem(prior_A, likelihood_conditions_given_A, joint_likelihood_conditions):
    """Posterior P(A | B1, ..., Bn) by Bayes' theorem."""
    if not 0.0 <= prior_A <= 1.0:
        raise ValueError(f"prior_A must lie in [0, 1], got {prior_A}")
    joint_given_A = chain_rule(likelihood_conditions_given_A)
    return joint_given_A * prior_A / joint_likelihood_conditions
