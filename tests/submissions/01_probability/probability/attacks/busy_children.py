"""Six busy children that outlive their cell, to starve every other job on the machine."""
# base: solution
# expect: fail test_posterior_curve_hidden
# keep: test_chain_rule_hidden test_total_probability_hidden test_bayes_theorem_hidden test_disease_posterior_hidden test_simulate_patients_hidden
# %% posterior_curve
import os

for _ in range(6):
    if os.fork() == 0:
        while True:
            pass
