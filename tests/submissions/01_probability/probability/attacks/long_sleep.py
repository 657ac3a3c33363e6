"""Correct Q1.1-Q1.3; the Monte Carlo cell sleeps for a day."""
# base: solution
# expect: fail test_simulate_patients_hidden
# keep: test_chain_rule_hidden test_disease_posterior_hidden
# %% simulate_patients
import time

time.sleep(86400)
