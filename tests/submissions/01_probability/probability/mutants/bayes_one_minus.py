"""bayes_theorem returns 1 - posterior, the probability of not A."""
# base: solution
# expect: fail test_bayes_theorem_visible test_bayes_theorem_hidden test_disease_posterior_visible test_disease_posterior_hidden
# %% bayes_theorem
def bayes_theorem(prior_A, likelihood_conditions_given_A, joint_likelihood_conditions):
    """Posterior P(A | B1, ..., Bn) by Bayes' theorem."""
    if not 0.0 <= prior_A <= 1.0:
        raise ValueError(f"prior_A must lie in [0, 1], got {prior_A}")
    if not 0.0 < joint_likelihood_conditions <= 1.0:
        raise ValueError(f"joint_likelihood_conditions must lie in (0, 1], got {joint_likelihood_conditions}")
    posterior = chain_rule(likelihood_conditions_given_A) * prior_A / joint_likelihood_conditions
    return 1 - posterior
