"""Q1.3 passes the no-disease likelihoods to bayes_theorem, so it computes P(no disease | A, B, C)."""
# base: solution
# expect: fail test_disease_posterior_visible test_disease_posterior_hidden
# %% disease_posterior
prior_disease = 0.05
likelihood_conditions_given_disease = [0.8, 0.7, 0.6]      # P(A | D), P(B | A, D), P(C | A, B, D)
likelihood_conditions_given_no_disease = [0.1, 0.2, 0.3]   # the same, without the disease

# 힌트 / Hint: 증거는 law_of_total_probability로, 사후확률은 bayes_theorem으로 / evidence with law_of_total_probability, posterior with bayes_theorem
joint_likelihood_conditions = law_of_total_probability(
    prior_disease, likelihood_conditions_given_disease, likelihood_conditions_given_no_disease)
posterior = bayes_theorem(1 - prior_disease, likelihood_conditions_given_no_disease, joint_likelihood_conditions)
print(f"P(disease | A, B, C) = {posterior:.4f}")
