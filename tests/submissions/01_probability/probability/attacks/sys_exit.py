"""Correct answers, but the bayes_theorem cell ends with sys.exit(): IPython survives it."""
# base: solution
# keep: test_chain_rule_hidden test_total_probability_hidden test_bayes_theorem_hidden test_disease_posterior_hidden
# %% bayes_theorem
def bayes_theorem(prior_A, likelihood_conditions_given_A, joint_likelihood_conditions):
    if not 0.0 <= prior_A <= 1.0:
        raise ValueError(f"prior_A must lie in [0, 1], got {prior_A}")
    if not 0.0 < joint_likelihood_conditions <= 1.0:
        raise ValueError(f"joint_likelihood_conditions must lie in (0, 1], got {joint_likelihood_conditions}")
    return chain_rule(likelihood_conditions_given_A) * prior_A / joint_likelihood_conditions


import sys

sys.exit("done here")
