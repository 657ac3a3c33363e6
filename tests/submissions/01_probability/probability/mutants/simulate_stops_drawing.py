"""simulate_patients draws one number at a time and stops drawing at a patient's first missing symptom, so the later patients get other numbers than the prescribed array gives them."""
# base: solution
# expect: fail test_simulate_patients_hidden
# %% simulate_patients
def simulate_patients(num_patients, prior, likelihoods_given_disease, likelihoods_given_no_disease, seed=0):
    """Monte Carlo running estimate of P(disease | every symptom)."""
    rng = np.random.default_rng(seed)
    running, kept, ill_kept = [], 0, 0
    for _ in range(num_patients):
        ill = rng.random() < prior
        likelihoods = likelihoods_given_disease if ill else likelihoods_given_no_disease
        if all(rng.random() < p for p in likelihoods):   # all() stops at the first missing symptom
            kept += 1
            ill_kept += int(ill)
            running.append(ill_kept / kept)
    return np.array(running, dtype=float)
