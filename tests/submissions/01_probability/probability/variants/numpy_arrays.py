"""Correct: NumPy throughout (np.asarray checks, np.prod, vectorised curve), returning NumPy floats."""
# base: solution
# expect: full
# %% chain_rule
def chain_rule(probabilities):
    """Joint probability of several events from their chain of conditional probabilities."""
    probs = np.asarray(probabilities, dtype=float)
    if probs.size == 0:
        raise ValueError("probabilities is empty")
    outside = np.flatnonzero((probs < 0) | (probs > 1))
    if outside.size:
        raise ValueError(f"probabilities must lie in [0, 1], got {probs[outside[0]]} at position {outside[0]}")
    return np.prod(probs)
# %% law_of_total_probability
def law_of_total_probability(prior_A, likelihood_conditions_given_A, likelihood_conditions_given_not_A):
    """P(B1, ..., Bn) = P(A) P(B1..Bn | A) + P(not A) P(B1..Bn | not A)."""
    if not 0 <= prior_A <= 1:
        raise ValueError(f"prior_A must lie in [0, 1], got {prior_A}")
    if np.shape(likelihood_conditions_given_A) != np.shape(likelihood_conditions_given_not_A):
        raise ValueError(f"shapes differ: {np.shape(likelihood_conditions_given_A)} and {np.shape(likelihood_conditions_given_not_A)}")
    weights = np.array([prior_A, 1.0 - prior_A])
    chains = np.array([chain_rule(likelihood_conditions_given_A), chain_rule(likelihood_conditions_given_not_A)])
    return np.dot(weights, chains)
# %% bayes_theorem
def bayes_theorem(prior_A, likelihood_conditions_given_A, joint_likelihood_conditions):
    """Posterior P(A | B1, ..., Bn) by Bayes' theorem."""
    if not 0 <= prior_A <= 1:
        raise ValueError(f"prior_A must lie in [0, 1], got {prior_A}")
    if not 0 < joint_likelihood_conditions <= 1:
        raise ValueError(f"joint_likelihood_conditions must lie in (0, 1], got {joint_likelihood_conditions}")
    return np.float64(prior_A) * chain_rule(likelihood_conditions_given_A) / joint_likelihood_conditions
# %% posterior_curve
def posterior_curve(priors, likelihood_conditions_given_A, likelihood_conditions_given_not_A):
    """Posterior P(A | B1, ..., Bn) for each prior P(A) in `priors`."""
    priors = np.asarray(priors, dtype=np.float64)
    joint = np.stack([priors * chain_rule(likelihood_conditions_given_A),
                      (1 - priors) * chain_rule(likelihood_conditions_given_not_A)])
    return joint[0] / joint.sum(axis=0)
