"""Correct Q1.1-Q1.3, then os._exit in the Monte Carlo cell kills the kernel: earlier points stay."""
# base: solution
# expect: fail test_simulate_patients_hidden test_posterior_curve_hidden
# keep: test_chain_rule_hidden test_total_probability_hidden test_bayes_theorem_hidden test_invalid_input_hidden test_disease_posterior_hidden
# %% simulate_patients
import os

os._exit(0)
