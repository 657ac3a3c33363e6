"""A correct chain_rule whose comments carry nbgrader's markers; the feedback used to crash the batch on them."""
# base: solution
# expect: full
# %% chain_rule
def chain_rule(probabilities):
    # ### BEGIN HIDDEN TESTS   (only a comment: the grader must treat it as text)
    # ### END SOLUTION
    if len(probabilities) == 0 or any(not 0 <= p <= 1 for p in probabilities):
        raise ValueError("probabilities must be a non-empty list of numbers in [0, 1]")
    joint = 1.0
    for p in probabilities:
        joint *= p
    return joint
# ### BEGIN HIDDEN TESTS
