"""simulate_patients returns only the final estimate (in a one-element array), not the running estimate."""
# base: solution
# expect: fail test_simulate_patients_hidden
# %% simulate_patients
def simulate_patients(num_patients, prior, likelihoods_given_disease, likelihoods_given_no_disease, seed=0):
    """Monte Carlo running estimate of P(disease | every symptom)."""
    rng = np.random.default_rng(seed)
    has_disease = rng.random(num_patients) < prior
    symptom_probs = np.where(has_disease[:, None], likelihoods_given_disease, likelihoods_given_no_disease)
    kept = (rng.random(symptom_probs.shape) < symptom_probs).all(axis=1)
    return np.array([has_disease[kept].mean()])
