"""simulate_patients draws every patient's symptoms from the disease likelihoods, whatever their disease status."""
# base: solution
# expect: fail test_simulate_patients_hidden
# %% simulate_patients
def simulate_patients(num_patients, prior, likelihoods_given_disease, likelihoods_given_no_disease, seed=0):
    """Monte Carlo running estimate of P(disease | every symptom)."""
    u = np.random.default_rng(seed).random((num_patients, 1 + len(likelihoods_given_disease)))
    has_disease = u[:, 0] < prior
    symptom_probs = np.asarray(likelihoods_given_disease)[None, :]
    kept = (u[:, 1:] < symptom_probs).all(axis=1)
    ill = has_disease[kept]
    return np.cumsum(ill) / np.arange(1, ill.size + 1)
