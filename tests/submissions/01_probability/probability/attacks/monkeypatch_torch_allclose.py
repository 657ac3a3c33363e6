"""Wrong chain_rule, and torch.allclose / torch.equal patched to always say True."""
# base: solution
# expect: fail test_chain_rule_hidden
# %% chain_rule
import torch

torch.allclose = lambda *args, **kwargs: True
torch.equal = lambda *args, **kwargs: True


def chain_rule(probabilities):
    return sum(probabilities)
