"""simulate_patients draws nothing: it computes the exact posterior and the expected number of kept patients, and spreads that many ill patients evenly over a made-up running fraction ending on the posterior, rotated by the seed so that seeds differ (the old running_fraction_near and seed-pair checks passed this)."""
# base: solution
# expect: fail test_simulate_patients_hidden
# %% simulate_patients
def simulate_patients(num_patients, prior, likelihoods_given_disease, likelihoods_given_no_disease, seed=0):
    """Monte Carlo running estimate of P(disease | every symptom), without any Monte Carlo."""
    branch_ill = prior * math.prod(likelihoods_given_disease)
    branch_healthy = (1 - prior) * math.prod(likelihoods_given_no_disease)
    evidence = branch_ill + branch_healthy
    kept = int(round(num_patients * evidence))
    if kept == 0:
        return np.zeros(0)
    ill_total = int(round(kept * branch_ill / evidence))
    steps = np.arange(kept + 1) * ill_total // kept          # an even spread of the ill patients
    outcomes = np.roll(np.diff(steps), seed % kept)           # rotating keeps the final count
    return np.cumsum(outcomes) / np.arange(1, kept + 1)
