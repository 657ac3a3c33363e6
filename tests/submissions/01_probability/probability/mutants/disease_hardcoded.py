"""Q1.3 types in the rounded numbers from the hand calculation instead of calling the Q1.1 functions."""
# base: solution
# expect: fail test_disease_posterior_visible test_disease_posterior_hidden
# %% disease_posterior
prior_disease = 0.05
likelihood_conditions_given_disease = [0.8, 0.7, 0.6]      # P(A | D), P(B | A, D), P(C | A, B, D)
likelihood_conditions_given_no_disease = [0.1, 0.2, 0.3]   # the same, without the disease

# 힌트 / Hint: 증거는 law_of_total_probability로, 사후확률은 bayes_theorem으로 / evidence with law_of_total_probability, posterior with bayes_theorem
joint_likelihood_conditions = 0.0225
posterior = 0.7467
print(f"P(disease | A, B, C) = {posterior:.4f}")
