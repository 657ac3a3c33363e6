"""chain_rule returns an int subclass whose == is always True and that poses as a float."""
# base: solution
# expect: fail test_chain_rule_visible test_chain_rule_hidden
# %% chain_rule
class AlwaysRight(float):
    def __eq__(self, other):
        return True

    __hash__ = float.__hash__

    def __sub__(self, other):
        return 0.0

    __rsub__ = __sub__

    def __abs__(self):
        return 0.0


def chain_rule(probabilities):
    return AlwaysRight(0.0)
