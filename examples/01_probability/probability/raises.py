"""simulate_patients divides by the number of kept patients before counting the first one, so it raises ZeroDivisionError."""
# base: solution
# expect: fail test_simulate_patients_visible test_simulate_patients_hidden
# %% simulate_patients
def simulate_patients(num_patients, prior, likelihoods_given_disease, likelihoods_given_no_disease, seed=0):
    """Monte Carlo running estimate of P(disease | every symptom)."""
    rng = np.random.default_rng(seed)
    estimates = []
    kept, ill_kept = 0, 0
    for _ in range(num_patients):
        ill = rng.random() < prior
        likelihoods = likelihoods_given_disease if ill else likelihoods_given_no_disease
        if all(rng.random() < p for p in likelihoods):
            estimates.append(ill_kept / kept)   # bug: the running fraction is taken before this patient is counted
            kept += 1
            ill_kept += ill
    return np.array(estimates)
