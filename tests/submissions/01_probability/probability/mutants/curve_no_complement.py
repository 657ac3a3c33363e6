"""posterior_curve forgets the (1 - prior) weight on the not-A branch of the evidence."""
# base: solution
# expect: fail test_posterior_curve_visible test_posterior_curve_hidden
# %% posterior_curve
def posterior_curve(priors, likelihood_conditions_given_A, likelihood_conditions_given_not_A):
    """Posterior P(A | B1, ..., Bn) for each prior P(A) in `priors`."""
    priors = np.asarray(priors, dtype=float)
    joint_given_A = chain_rule(likelihood_conditions_given_A)
    joint_given_not_A = chain_rule(likelihood_conditions_given_not_A)
    return priors * joint_given_A / (priors * joint_given_A + joint_given_not_A)
