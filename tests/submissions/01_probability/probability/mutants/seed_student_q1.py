"""The seed submission's Q1 logic: product loop, total probability and Bayes computed right, but no input validation."""
# base: solution
# expect: fail test_invalid_input_hidden
# %% chain_rule
def chain_rule(probabilities):
    """Joint probability of several events from their chain of conditional probabilities."""
    # multiply the conditional probabilities one after another
    joint_probability = 1.0
    for prob in probabilities:
        joint_probability *= prob
    return joint_probability
# %% law_of_total_probability
def law_of_total_probability(prior_A, likelihood_conditions_given_A, likelihood_conditions_given_not_A):
    """P(B1, ..., Bn) = P(A) P(B1..Bn | A) + P(not A) P(B1..Bn | not A)."""
    # P(B, C, ... | A)
    joint_given_A = chain_rule(likelihood_conditions_given_A)
    # P(B, C, ... | not A)
    joint_given_not_A = chain_rule(likelihood_conditions_given_not_A)
    # weight both branches by their priors
    joint_likelihood = prior_A * joint_given_A + (1 - prior_A) * joint_given_not_A
    return joint_likelihood
# %% bayes_theorem
def bayes_theorem(prior_A, likelihood_conditions_given_A, joint_likelihood_conditions):
    """Posterior P(A | B1, ..., Bn) by Bayes' theorem."""
    # P(B, C, ... | A) by the chain rule
    joint_given_A = chain_rule(likelihood_conditions_given_A)
    posterior = (joint_given_A * prior_A) / joint_likelihood_conditions
    return posterior
