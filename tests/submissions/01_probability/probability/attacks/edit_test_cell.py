"""Wrong chain_rule; both chain_rule test cells are rewritten to pass."""
# base: solution
# expect: fail test_chain_rule_visible test_chain_rule_hidden
# %% chain_rule
def chain_rule(probabilities):
    return sum(probabilities)
# %% test_chain_rule_visible
print("test_chain_rule_visible: all examples match")
# %% test_chain_rule_hidden
print("hidden tests of chain_rule passed")
