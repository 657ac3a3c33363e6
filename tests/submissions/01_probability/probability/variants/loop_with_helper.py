"""Correct: plain loops with one validation helper, a loop over patients drawing one row of numbers each, and a curve built from the Q1.1 functions."""
# base: solution
# expect: full
# %% chain_rule
def _check_probability(name, value):
    """Raise a ValueError naming `name` unless value is a probability."""
    if value < 0 or value > 1:
        raise ValueError(f"{name} must lie in [0, 1], got {value}")


def chain_rule(probabilities):
    """Joint probability of several events from their chain of conditional probabilities."""
    if len(probabilities) == 0:
        raise ValueError("probabilities must not be empty")
    joint = 1.0
    for position, prob in enumerate(probabilities):
        _check_probability(f"probabilities[{position}]", prob)
        joint = joint * prob
    return joint
# %% law_of_total_probability
def law_of_total_probability(prior_A, likelihood_conditions_given_A, likelihood_conditions_given_not_A):
    """P(B1, ..., Bn) = P(A) P(B1..Bn | A) + P(not A) P(B1..Bn | not A)."""
    _check_probability("prior_A", prior_A)
    if len(likelihood_conditions_given_A) != len(likelihood_conditions_given_not_A):
        raise ValueError("likelihood lists must have the same length")
    total = 0.0
    for weight, chain in [(prior_A, likelihood_conditions_given_A), (1 - prior_A, likelihood_conditions_given_not_A)]:
        total += weight * chain_rule(chain)
    return total
# %% bayes_theorem
def bayes_theorem(prior_A, likelihood_conditions_given_A, joint_likelihood_conditions):
    """Posterior P(A | B1, ..., Bn) by Bayes' theorem."""
    _check_probability("prior_A", prior_A)
    _check_probability("joint_likelihood_conditions", joint_likelihood_conditions)
    if joint_likelihood_conditions == 0:
        raise ValueError("joint_likelihood_conditions is 0: the posterior is undefined")
    return chain_rule(likelihood_conditions_given_A) * prior_A / joint_likelihood_conditions
# %% simulate_patients
def simulate_patients(num_patients, prior, likelihoods_given_disease, likelihoods_given_no_disease, seed=0):
    """Monte Carlo running estimate of P(disease | every symptom)."""
    rng = np.random.default_rng(seed)
    running = []
    kept = 0
    ill_kept = 0
    for _ in range(num_patients):
        # one row of 1 + n numbers per patient: the same stream as one (num_patients, 1 + n) array
        u = rng.random(1 + len(likelihoods_given_disease))
        ill = u[0] < prior
        likelihoods = likelihoods_given_disease if ill else likelihoods_given_no_disease
        every_symptom = True
        for k, prob in enumerate(likelihoods, start=1):   # symptoms in order: the chain rule
            if u[k] >= prob:
                every_symptom = False
                break                                     # later symptoms no longer matter
        if every_symptom:
            kept += 1
            ill_kept += int(ill)
            running.append(ill_kept / kept)
    return np.array(running, dtype=float)
# %% posterior_curve
def posterior_curve(priors, likelihood_conditions_given_A, likelihood_conditions_given_not_A):
    """Posterior P(A | B1, ..., Bn) for each prior P(A) in `priors`."""
    posteriors = []
    for prior in priors:
        evidence = law_of_total_probability(prior, likelihood_conditions_given_A, likelihood_conditions_given_not_A)
        posteriors.append(bayes_theorem(prior, likelihood_conditions_given_A, evidence))
    return np.array(posteriors, dtype=float)
