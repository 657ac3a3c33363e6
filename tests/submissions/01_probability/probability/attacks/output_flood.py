"""Correct answers, but the chain_rule cell prints about 30 MB of text: feedback keeps a bounded excerpt."""
# base: solution
# keep: test_chain_rule_hidden test_bayes_theorem_hidden
# %% chain_rule
import math

line = "x" * 1000
for _ in range(30_000):
    print(line)


def chain_rule(probabilities):
    if len(probabilities) == 0:
        raise ValueError("probabilities must not be empty")
    for p in probabilities:
        if not 0.0 <= p <= 1.0:
            raise ValueError(f"probability {p} is outside [0, 1]")
    return math.prod(probabilities)
