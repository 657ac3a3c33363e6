"""Correct: functools.reduce with operator.mul for the chain rule, Bayes written with the two-branch denominator."""
# base: solution
# expect: full
# %% chain_rule
import functools
import operator


def chain_rule(probabilities):
    """Joint probability of several events from their chain of conditional probabilities."""
    if len(probabilities) == 0:
        raise ValueError("empty list of probabilities")
    for index in range(len(probabilities)):
        if not (0 <= probabilities[index] <= 1):
            raise ValueError(f"invalid probability {probabilities[index]} at index {index}")
    return functools.reduce(operator.mul, probabilities, 1.0)
# %% law_of_total_probability
def law_of_total_probability(prior_A, likelihood_conditions_given_A, likelihood_conditions_given_not_A):
    """P(B1, ..., Bn) = P(A) P(B1..Bn | A) + P(not A) P(B1..Bn | not A)."""
    if not (0 <= prior_A <= 1):
        raise ValueError(f"invalid prior {prior_A}")
    if len(likelihood_conditions_given_A) != len(likelihood_conditions_given_not_A):
        raise ValueError("likelihood lists differ in length: "
                         f"{likelihood_conditions_given_A} vs {likelihood_conditions_given_not_A}")
    p_b_and_a = functools.reduce(operator.mul, [prior_A] + [chain_rule(likelihood_conditions_given_A)])
    p_b_and_not_a = (1 - prior_A) * chain_rule(likelihood_conditions_given_not_A)
    return p_b_and_a + p_b_and_not_a
# %% bayes_theorem
def bayes_theorem(prior_A, likelihood_conditions_given_A, joint_likelihood_conditions):
    """Posterior P(A | B1, ..., Bn) by Bayes' theorem."""
    if not (0 <= prior_A <= 1):
        raise ValueError(f"invalid prior {prior_A}")
    if not (0 <= joint_likelihood_conditions <= 1):
        raise ValueError(f"invalid evidence {joint_likelihood_conditions}")
    if joint_likelihood_conditions == 0:
        raise ValueError("evidence has probability 0, posterior undefined")
    likelihood = chain_rule(likelihood_conditions_given_A)
    return (likelihood / joint_likelihood_conditions) * prior_A
