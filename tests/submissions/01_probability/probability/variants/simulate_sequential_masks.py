"""Correct: simulate_patients draws the prescribed array, then tests the symptoms column by column, only for patients still showing every symptom, and updates a running mean."""
# base: solution
# expect: full
# %% simulate_patients
def simulate_patients(num_patients, prior, likelihoods_given_disease, likelihoods_given_no_disease, seed=0):
    """Monte Carlo running estimate of P(disease | every symptom)."""
    u = np.random.default_rng(seed).random((num_patients, 1 + len(likelihoods_given_disease)))
    ill = u[:, 0] < prior
    still_in = np.ones(num_patients, dtype=bool)
    for k, (p_ill, p_healthy) in enumerate(zip(likelihoods_given_disease, likelihoods_given_no_disease), start=1):
        p = np.where(ill, p_ill, p_healthy)
        idx = np.flatnonzero(still_in)
        still_in[idx] = u[idx, k] < p[idx]
    outcomes = ill[still_in].astype(float)
    estimate = np.empty_like(outcomes)
    mean = 0.0
    for i, outcome in enumerate(outcomes):   # incremental mean: mean += (x - mean) / n
        mean += (outcome - mean) / (i + 1)
        estimate[i] = mean
    return estimate
