"""Correct code that also emits UserWarnings while the tests run (edge priors, small simulations): the printed warnings must not cost points."""
# base: solution
# expect: full
# %% law_of_total_probability
import warnings


def law_of_total_probability(prior_A, likelihood_conditions_given_A, likelihood_conditions_given_not_A):
    """P(B1, ..., Bn) = P(A) P(B1..Bn | A) + P(not A) P(B1..Bn | not A)."""
    if not 0.0 <= prior_A <= 1.0:
        raise ValueError(f"prior_A must lie in [0, 1], got {prior_A}")
    if len(likelihood_conditions_given_A) != len(likelihood_conditions_given_not_A):
        raise ValueError("the two likelihood lists must have the same length")
    if prior_A in (0, 1):
        warnings.warn(f"prior_A = {prior_A}: one branch of the total probability contributes nothing")
    return (prior_A * chain_rule(likelihood_conditions_given_A)
            + (1 - prior_A) * chain_rule(likelihood_conditions_given_not_A))
# %% simulate_patients
def simulate_patients(num_patients, prior, likelihoods_given_disease, likelihoods_given_no_disease, seed=0):
    """Monte Carlo running estimate of P(disease | every symptom)."""
    if num_patients < 5_000:
        warnings.warn(f"only {num_patients} patients: the estimate will be noisy", RuntimeWarning)
    u = np.random.default_rng(seed).random((num_patients, 1 + len(likelihoods_given_disease)))
    has_disease = u[:, 0] < prior
    symptom_probs = np.where(has_disease[:, None], likelihoods_given_disease, likelihoods_given_no_disease)
    kept = (u[:, 1:] < symptom_probs).all(axis=1)
    ill = has_disease[kept]
    return np.cumsum(ill) / np.arange(1, ill.size + 1)
# %% posterior_curve
def posterior_curve(priors, likelihood_conditions_given_A, likelihood_conditions_given_not_A):
    """Posterior P(A | B1, ..., Bn) for each prior P(A) in `priors`."""
    priors = np.asarray(priors, dtype=float)
    if np.any((priors == 0) | (priors == 1)):
        warnings.warn("priors of exactly 0 or 1 cannot be moved by any evidence")
    joint_given_A = chain_rule(likelihood_conditions_given_A)
    joint_given_not_A = chain_rule(likelihood_conditions_given_not_A)
    return priors * joint_given_A / (priors * joint_given_A + (1 - priors) * joint_given_not_A)
