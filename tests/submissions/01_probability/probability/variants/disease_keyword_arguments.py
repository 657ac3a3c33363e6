"""Correct: Q1.3 calls the Q1.1 functions with keyword arguments and an intermediate chain_rule check."""
# base: solution
# expect: full
# %% disease_posterior
prior_disease = 0.05
likelihood_conditions_given_disease = [0.8, 0.7, 0.6]      # P(A | D), P(B | A, D), P(C | A, B, D)
likelihood_conditions_given_no_disease = [0.1, 0.2, 0.3]   # the same, without the disease

# 힌트 / Hint: 증거는 law_of_total_probability로, 사후확률은 bayes_theorem으로 / evidence with law_of_total_probability, posterior with bayes_theorem
symptoms_given_disease = chain_rule(likelihood_conditions_given_disease)
print(f"P(A, B, C | disease) = {symptoms_given_disease:.4f}")
joint_likelihood_conditions = law_of_total_probability(
    prior_A=prior_disease,
    likelihood_conditions_given_A=likelihood_conditions_given_disease,
    likelihood_conditions_given_not_A=likelihood_conditions_given_no_disease,
)
posterior = bayes_theorem(
    prior_A=prior_disease,
    likelihood_conditions_given_A=likelihood_conditions_given_disease,
    joint_likelihood_conditions=joint_likelihood_conditions,
)
print(f"P(disease | A, B, C) = {posterior:.4f}")
