"""Sum instead of product, and the student deleted both chain_rule test cells to hide it."""
# base: solution
# expect: fail test_chain_rule_visible test_chain_rule_hidden
# transform: delete test_chain_rule_visible
# transform: delete test_chain_rule_hidden
# %% chain_rule
def chain_rule(probabilities):
    return sum(probabilities)
