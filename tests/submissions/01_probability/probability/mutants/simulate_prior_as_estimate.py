"""simulate_patients reports the fraction of ill patients among all patients, i.e. an estimate of the prior."""
# base: solution
# expect: fail test_simulate_patients_hidden
# %% simulate_patients
def simulate_patients(num_patients, prior, likelihoods_given_disease, likelihoods_given_no_disease, seed=0):
    """Monte Carlo running estimate of P(disease | every symptom)."""
    u = np.random.default_rng(seed).random((num_patients, 1 + len(likelihoods_given_disease)))
    estimates = []
    ill_count, seen = 0, 0
    for row in u:
        ill = row[0] < prior
        seen += 1
        ill_count += ill
        likelihoods = likelihoods_given_disease if ill else likelihoods_given_no_disease
        if all(x < p for x, p in zip(row[1:], likelihoods)):
            estimates.append(ill_count / seen)  # divides by every patient so far, not by the kept ones
    return np.array(estimates, dtype=float)
