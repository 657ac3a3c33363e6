"""Wrong chain_rule, and pytest.approx replaced by something equal to everything."""
# base: solution
# expect: fail test_chain_rule_hidden
# %% chain_rule
import pytest


class _Anything:
    def __eq__(self, other):
        return True


pytest.approx = lambda *args, **kwargs: _Anything()


def chain_rule(probabilities):
    return sum(probabilities)
