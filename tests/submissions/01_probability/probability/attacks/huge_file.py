"""Correct answers, but the chain_rule cell tries to write a 5 GB file first."""
# base: solution
# keep: test_chain_rule_hidden test_bayes_theorem_hidden
# %% chain_rule
import math

try:
    with open("huge.bin", "wb") as f:
        block = b"\0" * (1 << 20)
        for _ in range(5 * 1024):
            f.write(block)
except OSError:
    pass


def chain_rule(probabilities):
    if len(probabilities) == 0:
        raise ValueError("probabilities must not be empty")
    for p in probabilities:
        if not 0.0 <= p <= 1.0:
            raise ValueError(f"probability {p} is outside [0, 1]")
    return math.prod(probabilities)
