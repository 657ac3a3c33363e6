"""simulate_patients draws the disease column and the symptom matrix as two separate arrays: a sound simulation, but not the prescribed draws, so its array differs for the same seed."""
# base: solution
# expect: fail test_simulate_patients_hidden
# %% simulate_patients
def simulate_patients(num_patients, prior, likelihoods_given_disease, likelihoods_given_no_disease, seed=0):
    """Monte Carlo running estimate of P(disease | every symptom)."""
    rng = np.random.default_rng(seed)
    has_disease = rng.random(num_patients) < prior
    symptom_probs = np.where(has_disease[:, None], likelihoods_given_disease, likelihoods_given_no_disease)
    shows_every_symptom = (rng.random(symptom_probs.shape) < symptom_probs).all(axis=1)
    ill_among_kept = has_disease[shows_every_symptom]
    return np.cumsum(ill_among_kept) / np.arange(1, ill_among_kept.size + 1)
