"""Correct Q1.1-Q1.3; the Monte Carlo cell never ends (an interruptible loop)."""
# base: solution
# expect: fail test_simulate_patients_hidden
# keep: test_chain_rule_hidden test_total_probability_hidden test_bayes_theorem_hidden test_disease_posterior_hidden
# %% simulate_patients
while True:
    pass
