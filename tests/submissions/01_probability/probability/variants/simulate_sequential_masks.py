"""Correct: simulate_patients draws symptoms one at a time only for patients still showing every symptom, and updates a running mean."""
# base: solution
# expect: full
# %% simulate_patients
def simulate_patients(num_patients, prior, likelihoods_given_disease, likelihoods_given_no_disease, seed=0):
    """Monte Carlo running estimate of P(disease | every symptom)."""
    rng = np.random.default_rng(seed)
    ill = rng.binomial(1, prior, size=num_patients).astype(bool)
    still_in = np.ones(num_patients, dtype=bool)
    for p_ill, p_healthy in zip(likelihoods_given_disease, likelihoods_given_no_disease):
        p = np.where(ill, p_ill, p_healthy)
        idx = np.flatnonzero(still_in)
        still_in[idx] = rng.uniform(size=idx.size) < p[idx]
    outcomes = ill[still_in].astype(float)
    estimate = np.empty_like(outcomes)
    mean = 0.0
    for i, outcome in enumerate(outcomes):   # incremental mean: mean += (x - mean) / n
        mean += (outcome - mean) / (i + 1)
        estimate[i] = mean
    return estimate
