"""Q1.3 computes the evidence but sets the posterior to the constant 0.5, a float in [0, 1] (the old visible range check passed it)."""
# base: solution
# expect: fail test_disease_posterior_visible test_disease_posterior_hidden
# %% disease_posterior
prior_disease = 0.05
likelihood_conditions_given_disease = [0.8, 0.7, 0.6]      # P(A | D), P(B | A, D), P(C | A, B, D)
likelihood_conditions_given_no_disease = [0.1, 0.2, 0.3]   # the same, without the disease

joint_likelihood_conditions = law_of_total_probability(
    prior_disease, likelihood_conditions_given_disease, likelihood_conditions_given_no_disease)
posterior = 0.5
print(f"P(disease | A, B, C) = {posterior:.4f}")
