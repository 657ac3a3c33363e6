"""Every assignment's samples, mutants and variants, graded by `course grade` (sandboxed, trusted).

They are graded with the assignment's attacks in one batch per assignment (conftest.graded_corpus).

Mutants must lose points, variants must keep them all, the reference must record evidence
in every test cell, and where goldens exist (tests/goldens/<assignment>.json) the trusted scores
of the samples' autograded cells must equal them. The goldens are trusted scores:
`pytest --update-goldens` rewrites the existing golden files from this run. (Stock nbgrader
cannot judge hidden tests, so its own test compares only the visible cells with them.)
"""
from __future__ import annotations

import nbformat
import pytest

from autograder.cells import grade_id, is_autograded_test, split_hidden
from autograder.layout import assignments, source_notebooks

from conftest import DEMO_GRADED, KINDS, ROOT, SUBMISSIONS, catalogue, expectation_problems, load_goldens, save_goldens

# the first test of a corpus waits for its whole batch (hundreds of sandboxes, one at a time under xdist)
pytestmark = [pytest.mark.slow, pytest.mark.timeout(2400)]
ASSIGNMENTS = [a for a in assignments(ROOT) if (SUBMISSIONS / a).is_dir()]


@pytest.fixture(scope="module", params=ASSIGNMENTS)
def graded(request, graded_corpus):
    return request.param, graded_corpus(request.param)


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_every_hidden_test_is_proven_by_a_mutant(assignment):
    """Each notebook has examples and a correct variant, and each hidden test cell is one that some
    mutant of that notebook must fail: no hidden test goes unproven."""
    entries = catalogue(assignment)
    problems = []
    for source in source_notebooks(ROOT, assignment):
        nb = nbformat.read(source, as_version=4)
        hidden = {grade_id(c) for c in nb.cells if is_autograded_test(c) and split_hidden(c.source)[1]}
        mine = [(kind, spec) for kind, stem, spec in entries if stem == source.stem]
        named = {g for kind, spec in mine if kind == "mutants" for g in spec.expect_fail}
        problems += [f"{source.stem}: no mutant must fail {g}" for g in sorted(hidden - named)]
        problems += [f"{source.stem}: no {kind}" for kind in KINDS if kind not in {k for k, _ in mine}]
    assert not problems, "\n".join(problems)


def test_reference_records_evidence_in_every_test_cell(graded):
    _, corpus = graded
    assert corpus.run.reference_problems == [], corpus.run.reference_problems


def test_every_submission_is_graded(graded):
    _, corpus = graded
    assert not corpus.run.rejected, corpus.run.rejected
    assert {o.student for o in corpus.run.outcomes} == set(corpus.students)


def test_expectations_hold(graded):
    _, corpus = graded
    problems = []
    for kind, _, spec, outcome in corpus.outcomes(KINDS):
        problems += expectation_problems(kind, spec, {g: v.trusted_passed for g, v in outcome.verdicts.items()})
    assert not problems, "\n".join(problems)


def test_trusted_scores_equal_the_goldens(graded, request):
    assignment, corpus = graded
    goldens = load_goldens(assignment)
    if goldens and request.config.getoption("--update-goldens"):
        for _, _, spec, outcome in corpus.outcomes(["samples"]):
            # written answers wait for a person: the golden keeps what it had for them
            goldens[spec.name] = {**goldens.get(spec.name, {}),
                                  **{g: v.score for g, v in outcome.verdicts.items()}}
        save_goldens(assignment, goldens)
    compared = 0
    for _, _, spec, outcome in corpus.outcomes(["samples"]):
        if spec.name not in goldens:
            continue
        stock = {g: s for g, s in goldens[spec.name].items() if g in outcome.verdicts}
        assert {g: outcome.verdicts[g].score for g in stock} == stock, spec.name
        compared += 1
    if goldens:   # every golden is compared, here or (the demo's examples) in test_demo.py
        assert compared == len(set(goldens) - DEMO_GRADED)
