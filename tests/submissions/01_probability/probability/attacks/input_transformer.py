"""Wrong chain_rule; an IPython input transformer turns every later cell into `pass`."""
# base: solution
# expect: fail test_chain_rule_visible test_chain_rule_hidden test_total_probability_hidden test_bayes_theorem_hidden test_disease_posterior_hidden
# %% chain_rule
def chain_rule(probabilities):
    return sum(probabilities)


get_ipython().input_transformers_cleanup.append(lambda lines: ["pass\n"])
