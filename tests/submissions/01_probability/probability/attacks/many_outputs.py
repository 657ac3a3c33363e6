"""Twenty thousand display outputs in one cell and a long stream of prints."""
# base: solution
# expect: fail test_posterior_curve_hidden
# keep: test_chain_rule_hidden test_total_probability_hidden test_bayes_theorem_hidden test_disease_posterior_hidden test_simulate_patients_hidden
# %% posterior_curve
from IPython.display import display

for i in range(20_000):
    display(i)
for i in range(200_000):
    print(i)
