"""simulate_patients draws the prescribed array shape from the legacy np.random.RandomState(seed) instead of np.random.default_rng(seed)."""
# base: solution
# expect: fail test_simulate_patients_hidden
# %% simulate_patients
def simulate_patients(num_patients, prior, likelihoods_given_disease, likelihoods_given_no_disease, seed=0):
    """Monte Carlo running estimate of P(disease | every symptom)."""
    u = np.random.RandomState(seed).random_sample((num_patients, 1 + len(likelihoods_given_disease)))
    has_disease = u[:, 0] < prior
    symptom_probs = np.where(has_disease[:, None], likelihoods_given_disease, likelihoods_given_no_disease)
    kept = (u[:, 1:] < symptom_probs).all(axis=1)
    ill = has_disease[kept]
    return np.cumsum(ill) / np.arange(1, ill.size + 1)
