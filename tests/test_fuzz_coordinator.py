"""Structure-aware fuzzing of the coordinator: one real job's executed notebook, status and
evidence, mutated the way hostile student code could leave them, must never make the
trusted side raise or hang, and scores stay within each cell's points.

The job is real (a toy course graded in a real sandbox); hypothesis then rewrites parts of
what came out of it (any subtree of the JSON replaced, removed or nested deeply, whole files
swapped for garbage) and feeds it to the same function the batch uses to finish a job.
"""
from __future__ import annotations

import copy
import json
import os

import nbformat
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from autograder.grading import finish, gradebook, outcomes, plan
from autograder.grading.jobs import Job, JobOutput, run_job
from autograder.grading.journal import Journal
from autograder.sandbox import Limits
from autograder.trusted.hostile import clean_status, depth_ok

from toy_course import make_toy_course, submit

pytestmark = [pytest.mark.slow, pytest.mark.timeout(900)]

SEED = "fuzz-seed"
LIMITS = Limits(wall_seconds=120)


@pytest.fixture(scope="module")
def real_job(tmp_path_factory):
    course = make_toy_course(tmp_path_factory.mktemp("fuzz") / "course")
    submit(course, "fuzzed")
    options = outcomes.Options(workers=1, progress=False, cell_timeout=10, resume=False)
    notebooks = gradebook.notebook_names(course, "toy")
    found = plan.collect(course, "toy", None, notebooks)
    run = outcomes.GradeRun("toy", SEED)
    journal = Journal(course / "autograded" / ".course-grade" / "toy.jsonl")
    [item] = plan.plan(course, "toy", notebooks, ["fuzzed"], found, journal, options, run)
    source = nbformat.read(course / "source" / "toy" / "toy.ipynb", as_version=4)
    sent, hidden = plan.without_hidden_tests(source)
    ref_job = Job("reference", outcomes.REFERENCE_STUDENT, "toy", "toy", nbformat.writes(sent), SEED,
                  10, LIMITS, (), "auto", hidden)
    reference = finish.reference_from(ref_job, run_job(ref_job), {"toy": source}, run)
    assert not reference.failed and not run.reference_problems
    student = run_job(Job("student", "fuzzed", "toy", "toy", nbformat.writes(item.sent), SEED,
                          10, LIMITS, (), "auto", item.hidden))
    assert student.error is None and student.executed
    # the raw status file, as the sandbox left it, is what gets mutated: rebuild it from the clean one
    raw_status = json.dumps(student.status).encode()
    return course, run, item, reference, journal, student, raw_status


json_leaves = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True, allow_infinity=True),
                        st.text(max_size=30))
json_values = st.recursive(json_leaves, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=10), inner, max_size=4)), max_leaves=25)


def nested(depth: int):
    value = 1
    for _ in range(depth):
        value = [value]
    return value


@st.composite
def mutated(draw, document):
    """document with one to three of its subtrees replaced, deleted or buried deeply."""
    doc = copy.deepcopy(document)
    for _ in range(draw(st.integers(1, 3))):
        parent, key, node = None, None, doc
        while isinstance(node, (list, dict)) and node and draw(st.booleans()):
            keys = list(node) if isinstance(node, dict) else list(range(len(node)))
            parent, key = node, draw(st.sampled_from(keys))
            node = parent[key]
        action = draw(st.sampled_from(["replace", "delete", "deep", "huge"]))
        if parent is None:
            doc = draw(json_values) if action in ("replace", "delete") else (
                nested(draw(st.integers(60, 3000))) if action == "deep" else "x" * 200_000)
            continue
        if action == "delete":
            del parent[key]
        elif action == "replace":
            parent[key] = draw(json_values)
        elif action == "deep":
            parent[key] = nested(draw(st.integers(60, 3000)))
        else:
            parent[key] = "x" * draw(st.integers(100_000, 300_000))
    return doc


def as_bytes(doc) -> bytes:
    try:
        return json.dumps(doc, allow_nan=True).encode()
    except (ValueError, RecursionError):
        return b"[" * 100_000


@st.composite
def hostile_outputs(draw, executed_doc, status_doc, evidence_lines):
    pick = draw(st.sets(st.sampled_from(["executed", "status", "evidence"]), min_size=1))
    executed = as_bytes(draw(mutated(executed_doc))) if "executed" in pick else json.dumps(executed_doc).encode()
    status = as_bytes(draw(mutated(status_doc))) if "status" in pick else json.dumps(status_doc).encode()
    lines = list(evidence_lines)
    if "evidence" in pick:
        for _ in range(draw(st.integers(1, 3))):
            at = draw(st.integers(0, max(0, len(lines) - 1)))
            choice = draw(st.sampled_from(["mutate", "garbage", "deep", "duplicate"]))
            if choice == "mutate" and lines:
                try:
                    record = json.loads(lines[at])
                except (ValueError, RecursionError):   # an earlier draw already put garbage here
                    record = None
                if not depth_ok(record):               # or nested it too deep to copy
                    record = None
                lines[at] = as_bytes(draw(mutated(record)))
            elif choice == "garbage":
                lines.insert(at, draw(st.binary(max_size=200)).replace(b"\n", b" "))
            elif choice == "deep":
                lines.insert(at, b"[" * 100_000 + b"]" * 100_000)
            elif lines:
                lines.insert(at, lines[at])
    if draw(st.booleans()) and draw(st.booleans()):
        executed = draw(st.sampled_from([b"", b"\xff\x00", b"[" * 100_000, b"null"]))
    return executed, status, b"\n".join(lines) + b"\n"


def test_the_coordinator_survives_every_mutation(real_job):
    course, run, item, reference, journal, student, raw_status = real_job
    executed_doc = json.loads(student.executed)
    status_doc = json.loads(raw_status)
    evidence_lines = [line for line in student.evidence.splitlines() if line]

    # CI draws the same examples every run (a red CI must be reproducible); a developer's run
    # draws new ones: `pytest tests/test_fuzz_coordinator.py` explores, CI=1 repeats
    @settings(max_examples=120, deadline=None, database=None, derandomize=bool(os.environ.get("CI")),
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
    @given(hostile_outputs(executed_doc, status_doc, evidence_lines))
    def finish_never_raises(outputs):
        executed, status, evidence = outputs
        output = JobOutput(student.key, executed, clean_status(status), evidence)
        outcome = finish.finish(course, run, item, output, reference, journal)
        for verdict in outcome.verdicts.values():
            assert 0 <= verdict.score <= verdict.max_points
        assert (course / "feedback" / "fuzzed" / "toy" / "toy.html").is_file()

    finish_never_raises()


def test_the_unmutated_job_scores_full(real_job):
    course, run, item, reference, journal, student, _ = real_job
    outcome = finish.finish(course, run, item, student, reference, journal)
    assert all(v.trusted_passed for v in outcome.verdicts.values())
