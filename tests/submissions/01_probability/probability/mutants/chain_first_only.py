"""chain_rule returns only the first probability, as if the later conditions changed nothing."""
# base: solution
# expect: fail test_chain_rule_visible test_chain_rule_hidden test_total_probability_visible test_total_probability_hidden test_bayes_theorem_visible test_bayes_theorem_hidden test_disease_posterior_visible test_disease_posterior_hidden test_posterior_curve_visible test_posterior_curve_hidden
# %% chain_rule
def chain_rule(probabilities):
    """Joint probability of several events from their chain of conditional probabilities."""
    if len(probabilities) == 0:
        raise ValueError("probabilities must not be empty")
    for position, prob in enumerate(probabilities):
        if not 0.0 <= prob <= 1.0:
            raise ValueError(f"probabilities must lie in [0, 1], got {prob} at position {position}")
    return probabilities[0]
