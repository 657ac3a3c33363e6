"""Correct: simulate_patients draws the prescribed array once, then walks its rows in a Python loop with all() over the symptom columns."""
# base: solution
# expect: full
# %% simulate_patients
def simulate_patients(num_patients, prior, likelihoods_given_disease, likelihoods_given_no_disease, seed=0):
    """Monte Carlo running estimate of P(disease | every symptom)."""
    rng = np.random.default_rng(seed)
    u = rng.random(size=(num_patients, len(likelihoods_given_disease) + 1))
    ill_flags = []
    for row in u:
        ill = bool(row[0] < prior)
        probs = likelihoods_given_disease if ill else likelihoods_given_no_disease
        if all(x < p for x, p in zip(row[1:], probs)):
            ill_flags.append(ill)
    counts = np.cumsum(np.array(ill_flags, dtype=float))
    return counts / np.arange(1, len(ill_flags) + 1)
