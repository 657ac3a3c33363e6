"""Correct Q1.1; Q1.3 types in 0.74670001, a number that rounds to the public 0.7467 and does not look rounded, so it passes the visible test's checks in the kernel: the strict comparisons outside must still fail it."""
# base: solution
# expect: fail test_disease_posterior_visible test_disease_posterior_hidden
# keep: test_chain_rule_hidden test_total_probability_hidden test_bayes_theorem_hidden test_invalid_input_hidden
# %% disease_posterior
prior_disease = 0.05
likelihood_conditions_given_disease = [0.8, 0.7, 0.6]      # P(A | D), P(B | A, D), P(C | A, B, D)
likelihood_conditions_given_no_disease = [0.1, 0.2, 0.3]   # the same, without the disease

joint_likelihood_conditions = 0.0225
posterior = 0.74670001
print(f"P(disease | A, B, C) = {posterior:.4f}")
