"""simulate_patients keeps every patient with at least one symptom instead of those with all of them."""
# base: solution
# expect: fail test_simulate_patients_hidden
# %% simulate_patients
def simulate_patients(num_patients, prior, likelihoods_given_disease, likelihoods_given_no_disease, seed=0):
    """Monte Carlo running estimate of P(disease | every symptom)."""
    u = np.random.default_rng(seed).random((num_patients, 1 + len(likelihoods_given_disease)))
    has_disease = u[:, 0] < prior
    symptom_probs = np.where(has_disease[:, None], likelihoods_given_disease, likelihoods_given_no_disease)
    symptoms = u[:, 1:] < symptom_probs
    kept = symptoms.any(axis=1)
    ill = has_disease[kept]
    return np.cumsum(ill) / np.arange(1, ill.size + 1)
