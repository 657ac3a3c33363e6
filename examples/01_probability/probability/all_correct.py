"""A fully correct submission; chain_rule is written as a student would, with a loop and its own checks."""
# base: solution
# expect: full
# %% chain_rule
def chain_rule(probabilities):
    """Joint probability of several events from their chain of conditional probabilities."""
    if len(probabilities) == 0:
        raise ValueError("chain_rule: the list of probabilities is empty")
    joint_probability = 1.0
    for i, p in enumerate(probabilities):
        if p < 0 or p > 1:
            raise ValueError(f"chain_rule: probabilities[{i}] = {p} is not in [0, 1]")
        joint_probability *= p
    return joint_probability
