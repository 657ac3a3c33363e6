"""posterior_curve ignores the priors it is given and repeats the posterior for a 50/50 prior."""
# base: solution
# expect: fail test_posterior_curve_visible test_posterior_curve_hidden
# %% posterior_curve
def posterior_curve(priors, likelihood_conditions_given_A, likelihood_conditions_given_not_A):
    """Posterior P(A | B1, ..., Bn) for each prior P(A) in `priors`."""
    joint_given_A = chain_rule(likelihood_conditions_given_A)
    joint_given_not_A = chain_rule(likelihood_conditions_given_not_A)
    posterior = joint_given_A / (joint_given_A + joint_given_not_A)
    return np.full(len(priors), posterior)
