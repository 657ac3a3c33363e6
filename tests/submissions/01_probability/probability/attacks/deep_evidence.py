"""Evidence lines nested 100,000 levels deep, and one 5,000 deep under a real key."""
# base: solution
# expect: fail test_posterior_curve_hidden
# keep: test_chain_rule_hidden test_total_probability_hidden test_bayes_theorem_hidden test_disease_posterior_hidden test_simulate_patients_hidden
# %% posterior_curve
import os

with open(os.environ["COURSE_EVIDENCE_FILE"], "a") as evidence:
    evidence.write("[" * 100_000 + "]" * 100_000 + "\n")
    evidence.write('{"key": "posterior_curve_random", "value": ' + "[" * 5_000 + "1" + "]" * 5_000
                   + ', "check": {}}\n')
    evidence.write('{"key": ' + "[" * 50_000 + "]" * 50_000 + ', "value": 1}\n')
