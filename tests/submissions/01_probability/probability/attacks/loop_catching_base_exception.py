"""Correct Q1.1-Q1.3; the Monte Carlo cell loops and swallows every interrupt."""
# base: solution
# expect: fail test_simulate_patients_hidden test_posterior_curve_hidden
# keep: test_chain_rule_hidden test_total_probability_hidden test_bayes_theorem_hidden test_disease_posterior_hidden
# %% simulate_patients
import time

while True:
    try:
        time.sleep(1)
    except BaseException:
        pass
