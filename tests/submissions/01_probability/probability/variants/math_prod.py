"""Correct: math.prod everywhere, with the checks written as generator expressions."""
# base: solution
# expect: full
# %% chain_rule
def chain_rule(probabilities):
    """Joint probability of several events from their chain of conditional probabilities."""
    if not len(probabilities):
        raise ValueError("chain_rule needs at least one probability, got an empty list")
    bad = [(i, p) for i, p in enumerate(probabilities) if p < 0 or p > 1]
    if bad:
        position, value = bad[0]
        raise ValueError(f"probability {value} at position {position} is outside [0, 1]")
    return math.prod(probabilities)
# %% law_of_total_probability
def law_of_total_probability(prior_A, likelihood_conditions_given_A, likelihood_conditions_given_not_A):
    """P(B1, ..., Bn) = P(A) P(B1..Bn | A) + P(not A) P(B1..Bn | not A)."""
    if prior_A < 0 or prior_A > 1:
        raise ValueError(f"prior_A = {prior_A} is outside [0, 1]")
    if len(likelihood_conditions_given_A) != len(likelihood_conditions_given_not_A):
        raise ValueError(f"length mismatch: {len(likelihood_conditions_given_A)} vs {len(likelihood_conditions_given_not_A)}")
    branches = ((prior_A, likelihood_conditions_given_A), (1 - prior_A, likelihood_conditions_given_not_A))
    return sum(weight * chain_rule(chain) for weight, chain in branches)
# %% bayes_theorem
def bayes_theorem(prior_A, likelihood_conditions_given_A, joint_likelihood_conditions):
    """Posterior P(A | B1, ..., Bn) by Bayes' theorem."""
    if prior_A < 0 or prior_A > 1:
        raise ValueError(f"prior_A = {prior_A} is outside [0, 1]")
    if joint_likelihood_conditions <= 0 or joint_likelihood_conditions > 1:
        raise ValueError(f"evidence {joint_likelihood_conditions} must be in (0, 1]")
    return math.prod([prior_A, chain_rule(likelihood_conditions_given_A)]) / joint_likelihood_conditions
