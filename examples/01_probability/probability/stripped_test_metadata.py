"""Correct answers, but a test cell lost its nbgrader metadata: it is restored and graded."""
# base: solution
# expect: full
# transform: strip-metadata test_bayes_theorem_hidden
