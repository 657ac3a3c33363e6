"""The answer key of 01_probability, proven by brute force outside any kernel.

Hidden tests record what the student's code returns and the grader compares it with what the
source notebook's own solutions return on the same probes, so those solutions are the answer
key. This test runs them in a fresh namespace (the solution cells of the source notebook, and
nothing from the grader) and checks them against the full joint distribution over
(A, B1, ..., Bn), enumerated cell by cell, on random cases, and the Monte Carlo solution against
an independent loop over the draws the notebook prescribes.
"""
from __future__ import annotations

import itertools
import json
import math
from pathlib import Path

import numpy as np
import pytest

NOTEBOOK = Path(__file__).resolve().parents[1] / "source" / "01_probability" / "probability.ipynb"
SOLUTIONS = ("chain_rule", "law_of_total_probability", "bayes_theorem", "simulate_patients", "posterior_curve")
MARKERS = ("### BEGIN SOLUTION", "### END SOLUTION")


@pytest.fixture(scope="module")
def key():
    """The solution functions of the source notebook, executed in a namespace of their own."""
    cells = {c["metadata"].get("nbgrader", {}).get("grade_id"): "".join(c["source"])
             for c in json.loads(NOTEBOOK.read_text(encoding="utf-8"))["cells"]}
    namespace = {"math": math, "np": np}
    for grade_id in SOLUTIONS:
        code = "\n".join(line for line in cells[grade_id].splitlines() if line.strip() not in MARKERS)
        exec(compile(code, f"{NOTEBOOK.name}:{grade_id}", "exec"), namespace)
    return namespace


def chain_table(chain, rng):
    """P(B1 = b1, ..., Bn = bn) for every 0/1 assignment, built factor by factor.

    chain[k] is P(B_k = 1 | B_1 .. B_{k-1} all 1). Off that all-ones path the chain says
    nothing, so those conditionals are drawn at random: no correct answer depends on them.
    """
    table = np.empty((2,) * len(chain))
    off_path = rng.uniform(0.0, 1.0, size=len(chain))
    for bits in itertools.product((0, 1), repeat=len(chain)):
        prob, on_path = 1.0, True
        for k, bit in enumerate(bits):
            q = chain[k] if on_path else off_path[k]
            prob *= q if bit else 1.0 - q
            on_path = on_path and bit == 1
        table[bits] = prob
    return table


def joint_table(prior, given_A, given_not_A, rng):
    """The joint distribution over (A, B1, ..., Bn); axis 0 is A (index 1 = A true)."""
    return np.stack([(1.0 - prior) * chain_table(given_not_A, rng), prior * chain_table(given_A, rng)])


def random_case(rng, max_conditions=7, low=0.0):
    n = int(rng.integers(1, max_conditions + 1))
    return (float(rng.uniform(0.0, 1.0)), [float(x) for x in rng.uniform(low, 1.0, size=n)],
            [float(x) for x in rng.uniform(low, 1.0, size=n)])


EDGE_CASES = [(0.0, [0.9, 0.5], [0.2, 0.4]), (1.0, [0.9, 0.5], [0.2, 0.4]), (0.3, [0.9, 0.0], [0.2, 0.4]),
              (0.3, [0.9, 0.5], [0.2, 0.0]), (0.37, [0.6], [0.15]), (0.5, [1, 1, 1], [0.5, 0.5, 0.5]),
              (0.2, [1.0, 1.0], [1.0, 1.0]), (0.5, [1, 1], [0, 1])]


def close(found, expected):
    return math.isclose(found, expected, rel_tol=1e-9, abs_tol=1e-12)


def test_chain_rule_is_the_all_true_entry_of_the_joint_table(key):
    rng = np.random.default_rng(1)
    chains = [[float(x) for x in rng.uniform(0.0, 1.0, size=int(rng.integers(1, 9)))] for _ in range(200)]
    for chain in chains + [[0.0], [1.0], [1, 1, 1], [0.3, 0.0, 0.9], [0.42]]:
        table = chain_table(chain, rng)
        assert math.isclose(table.sum(), 1.0, rel_tol=1e-9)   # the brute force is a distribution
        assert close(key["chain_rule"](chain), table[(1,) * len(chain)]), chain


def test_total_probability_marginalises_A_out(key):
    rng = np.random.default_rng(2)
    for prior, given_A, given_not_A in [random_case(rng) for _ in range(200)] + EDGE_CASES:
        table = joint_table(prior, given_A, given_not_A, rng)
        assert math.isclose(table.sum(), 1.0, rel_tol=1e-9)
        evidence = table.sum(axis=0)[(1,) * len(given_A)]
        assert close(key["law_of_total_probability"](prior, given_A, given_not_A), evidence)


def test_bayes_theorem_is_the_conditional_of_the_joint_table(key):
    rng = np.random.default_rng(3)
    for prior, given_A, given_not_A in [random_case(rng, low=0.05) for _ in range(200)] + EDGE_CASES:
        table = joint_table(prior, given_A, given_not_A, rng)
        ones = (1,) * len(given_A)
        evidence = table.sum(axis=0)[ones]
        if evidence == 0:
            continue
        assert close(key["bayes_theorem"](prior, given_A, evidence), table[1][ones] / evidence)


def test_posterior_curve_is_the_conditional_for_every_prior(key):
    rng = np.random.default_rng(4)
    for _ in range(30):
        _, given_A, given_not_A = random_case(rng, max_conditions=4, low=0.1)
        priors = np.concatenate([[0.0, 1.0, 1e-4], rng.uniform(0.0, 1.0, size=12)])
        curve = key["posterior_curve"](priors, given_A, given_not_A)
        assert isinstance(curve, np.ndarray) and curve.shape == priors.shape
        ones = (1,) * len(given_A)
        for prior, value in zip(priors, curve):
            table = joint_table(prior, given_A, given_not_A, rng)
            assert close(float(value), table[1][ones] / table.sum(axis=0)[ones])


def test_the_disease_of_q12(key):
    evidence = key["law_of_total_probability"](0.05, [0.8, 0.7, 0.6], [0.1, 0.2, 0.3])
    posterior = key["bayes_theorem"](0.05, [0.8, 0.7, 0.6], evidence)
    assert close(evidence, 0.0225) and close(posterior, 0.0168 / 0.0225) and round(posterior, 4) == 0.7467


@pytest.mark.parametrize("call", [
    ("chain_rule", []), ("chain_rule", [0.5, 1.2]), ("chain_rule", [-0.1, 0.5]),
    ("law_of_total_probability", 1.5, [0.5], [0.5]), ("law_of_total_probability", 0.5, [], []),
    ("law_of_total_probability", 0.5, [0.5], [0.5, 0.5]), ("law_of_total_probability", 0.5, [0.5, 0.5], [0.5, -0.3]),
    ("bayes_theorem", -0.5, [0.5], 0.5), ("bayes_theorem", 0.5, [], 0.5), ("bayes_theorem", 0.5, [0.5], 0),
    ("bayes_theorem", 0.5, [0.5], 1.2), ("bayes_theorem", 0.5, [0.5, 2.0], 0.5),
], ids=lambda call: f"{call[0]}{call[1:]}")
def test_invalid_input_raises_value_error(key, call):
    with pytest.raises(ValueError):
        key[call[0]](*call[1:])


def simulate_by_hand(num_patients, prior, given_d, given_nd, seed):
    """The rules of Q1.4 read literally: one patient at a time, over the prescribed draws."""
    u = np.random.default_rng(seed).random((num_patients, 1 + len(given_d)))
    running, kept, ill_kept = [], 0, 0
    for row in u:
        ill = row[0] < prior
        likelihoods = given_d if ill else given_nd
        if all(row[k] < likelihoods[k - 1] for k in range(1, len(given_d) + 1)):
            kept += 1
            ill_kept += int(ill)
            running.append(ill_kept / kept)
    return np.array(running, dtype=float)


@pytest.mark.parametrize("num_patients, prior, given_d, given_nd", [
    (20_000, 0.3, [0.9, 0.8], [0.4, 0.5]),
    (60_000, 0.05, [0.8, 0.7, 0.6], [0.1, 0.2, 0.3]),
    (5_000, 0.2, [0.7, 0.9, 0.8], [0.5, 0.0, 0.6]),
    (3_000, 0.5, [0.6], [0.3]),
    (500, 0.4, [0.0, 0.5], [0.0, 0.9]),
])
def test_simulation_follows_the_prescribed_draws_and_converges(key, num_patients, prior, given_d, given_nd):
    rng = np.random.default_rng(5)
    for seed in rng.integers(0, 2**31, size=3):
        found = key["simulate_patients"](num_patients, prior, given_d, given_nd, seed=int(seed))
        by_hand = simulate_by_hand(num_patients, prior, given_d, given_nd, int(seed))
        assert found.shape == by_hand.shape and np.allclose(found, by_hand, rtol=1e-12, atol=0)
        # and it is a sound simulation: the number kept is Binomial(num_patients, evidence), the
        # final fraction lies within 5 standard errors of the posterior of the joint table
        table = joint_table(prior, given_d, given_nd, rng)
        ones = (1,) * len(given_d)
        evidence = float(table.sum(axis=0)[ones])
        assert abs(found.size - num_patients * evidence) <= 5 * math.sqrt(num_patients * evidence) + 1
        if found.size:
            exact = float(table[1][ones]) / evidence
            assert abs(found[-1] - exact) <= 5 * math.sqrt(exact * (1 - exact) / found.size) + 1e-9


def test_simulation_depends_on_the_seed_and_defaults_to_zero(key):
    simulate = key["simulate_patients"]
    first = simulate(3_000, 0.3, [0.9, 0.8], [0.4, 0.5], seed=7)
    assert np.array_equal(first, simulate(3_000, 0.3, [0.9, 0.8], [0.4, 0.5], seed=7))
    assert not np.array_equal(first, simulate(3_000, 0.3, [0.9, 0.8], [0.4, 0.5], seed=8))
    assert np.array_equal(simulate(1_000, 0.3, [0.9, 0.8], [0.4, 0.5]),
                          simulate(1_000, 0.3, [0.9, 0.8], [0.4, 0.5], seed=0))
