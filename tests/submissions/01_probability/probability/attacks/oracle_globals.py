"""Every function answers only from what the hidden tests leave in the kernel: it walks the call stack (the caller's locals, the notebook's globals) for brute-force helpers (_chain_table, _joint_table), precomputed answers (_expected, posterior_ref, _joint_A) and the invalid-input helper's locals, and returns garbage when it finds none. Against hidden tests that computed answers in the kernel it scored every hidden cell; with nothing there it must score none."""
# base: solution
# expect: fail test_chain_rule_hidden test_total_probability_hidden test_bayes_theorem_hidden test_invalid_input_hidden test_disease_posterior_visible test_disease_posterior_hidden test_simulate_patients_hidden test_posterior_curve_hidden
# %% chain_rule
import sys

import numpy as np


def _scopes():
    """The locals of every frame from here up to the notebook cell that called us, then the notebook's globals."""
    frame = sys._getframe(1)
    while frame is not None:
        yield frame.f_locals
        if frame.f_code.co_name == "<module>":
            yield frame.f_globals
            return
        frame = frame.f_back


def _find(name):
    for scope in _scopes():
        if name in scope:
            return scope[name]
    return None


def _refuse_if_the_test_expects_an_error():
    # the invalid-input helper of a test that judges in the kernel holds its `description`
    if _find("description") is not None and _find("func") is not None:
        raise ValueError("the test is waiting for an error")


def _product_from_tables(chain):
    make = _find("_chain_table")
    if callable(make) and len(chain) <= 12:
        return float(make(list(chain), np.random.default_rng(0))[(1,) * len(chain)])
    return None


def _posterior_and_evidence(prior, given_A, given_not_A):
    make = _find("_joint_table")
    if callable(make) and len(given_A) <= 12:
        table = make(prior, list(given_A), list(given_not_A), np.random.default_rng(0))
        ones = (1,) * len(given_A)
        evidence = float(table.sum(axis=0)[ones])
        return float(table[1][ones]) / evidence, evidence
    return None


def chain_rule(probabilities):
    _refuse_if_the_test_expects_an_error()
    product = _product_from_tables(probabilities)
    if product is not None:
        return product
    if _find("_chain") is probabilities and isinstance(_find("_expected"), float):
        return _find("_expected")        # a long chain: the test computed its answer first
    return float(sum(probabilities))     # no oracle: garbage
# %% law_of_total_probability
def law_of_total_probability(prior_A, likelihood_conditions_given_A, likelihood_conditions_given_not_A):
    _refuse_if_the_test_expects_an_error()
    if isinstance(_find("evidence"), float):
        return _find("evidence")                      # the checking helper computed it before calling
    found = _posterior_and_evidence(prior_A, likelihood_conditions_given_A, likelihood_conditions_given_not_A)
    if found is not None:
        return found[1]
    if _find("_given_A") is likelihood_conditions_given_A and _find("_joint_A") is not None:
        return prior_A * _find("_joint_A") + (1 - prior_A) * _find("_joint_not_A")
    return 0.5
# %% bayes_theorem
def bayes_theorem(prior_A, likelihood_conditions_given_A, joint_likelihood_conditions):
    _refuse_if_the_test_expects_an_error()
    if isinstance(_find("posterior_ref"), float):
        return _find("posterior_ref")                 # the checking helper computed it before calling
    product = _product_from_tables(likelihood_conditions_given_A)
    if product is not None:
        return product * prior_A / joint_likelihood_conditions
    if _find("_given_A") is likelihood_conditions_given_A and _find("_joint_A") is not None:
        return _find("_joint_A") * prior_A / joint_likelihood_conditions
    return 0.5
# %% simulate_patients
def simulate_patients(num_patients, prior, likelihoods_given_disease, likelihoods_given_no_disease, seed=0):
    found = _posterior_and_evidence(prior, likelihoods_given_disease, likelihoods_given_no_disease)
    if found is None:
        return np.array([0.5])
    posterior, evidence = found
    kept = int(round(num_patients * evidence))
    ill = int(round(kept * posterior))
    outcomes = np.random.default_rng(seed).permutation(np.r_[np.ones(ill), np.zeros(kept - ill)])
    return np.cumsum(outcomes) / np.arange(1, kept + 1)
# %% posterior_curve
def posterior_curve(priors, likelihood_conditions_given_A, likelihood_conditions_given_not_A):
    priors = np.asarray(priors, dtype=float)
    values = []
    for prior in priors:
        found = _posterior_and_evidence(float(prior), likelihood_conditions_given_A, likelihood_conditions_given_not_A)
        values.append(0.5 if found is None else found[0])
    return np.array(values)
