"""Wrong chain_rule; the locked set-up cell is edited to make math.isclose always True."""
# base: solution
# expect: fail test_chain_rule_visible test_chain_rule_hidden
# %% setup_imports
import math
import random

import matplotlib.pyplot as plt
import numpy as np

math.isclose = lambda *args, **kwargs: True
SEED = 42
# %% chain_rule
def chain_rule(probabilities):
    return sum(probabilities)
