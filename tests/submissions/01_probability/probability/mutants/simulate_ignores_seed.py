"""simulate_patients creates its generator without the seed, so runs are not reproducible."""
# base: solution
# expect: fail test_simulate_patients_hidden
# %% simulate_patients
def simulate_patients(num_patients, prior, likelihoods_given_disease, likelihoods_given_no_disease, seed=0):
    """Monte Carlo running estimate of P(disease | every symptom)."""
    rng = np.random.default_rng()
    has_disease = rng.random(num_patients) < prior
    symptom_probs = np.where(has_disease[:, None], likelihoods_given_disease, likelihoods_given_no_disease)
    kept = (rng.random(symptom_probs.shape) < symptom_probs).all(axis=1)
    ill = has_disease[kept]
    return np.cumsum(ill) / np.arange(1, ill.size + 1)
