"""simulate_patients returns only the final estimate (in a one-element array), not the running estimate."""
# base: solution
# expect: fail test_simulate_patients_hidden
# %% simulate_patients
def simulate_patients(num_patients, prior, likelihoods_given_disease, likelihoods_given_no_disease, seed=0):
    """Monte Carlo running estimate of P(disease | every symptom)."""
    u = np.random.default_rng(seed).random((num_patients, 1 + len(likelihoods_given_disease)))
    has_disease = u[:, 0] < prior
    symptom_probs = np.where(has_disease[:, None], likelihoods_given_disease, likelihoods_given_no_disease)
    kept = (u[:, 1:] < symptom_probs).all(axis=1)
    return np.array([has_disease[kept].mean()])
