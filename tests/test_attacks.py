"""The attack corpus: hostile submissions graded by `course grade`.

For every attack: no wrong answer earns points, no correct answer loses points, the
batch completes, an honest submission graded in the same batch is unaffected, the
gradebook and the answer key are intact afterwards, no feedback page quotes a hidden
test, and no page a browser renders (feedback, or the autograded notebook formgrader
shows) keeps a script, an event handler or a javascript: link from a submission.
Assignment 01 holds the attacks on the grader itself, graded here in a batch of their own
(tight limits, a listening server); every other notebook has the attacks on its own hidden tests
(answers looked up in the kernel, hidden tests leaked, made-up data), graded in its assignment's
corpus batch beside the honest examples, mutants and variants (conftest.graded_corpus).
"""
from __future__ import annotations

import functools
import hashlib
import socket
import sqlite3
import threading

import nbformat
import pytest
from nbgrader.api import Gradebook

from autograder.cells import grade_id, nbgrader_meta
from autograder.grading import Options, grade
from autograder.nbgrader_app import db_url
from autograder.sandbox import Limits
from course.specs import load_specs, submit

from browser_safety import unsafe_markup
from conftest import SUBMISSIONS, copy_course, spec_folder
from leaks import hidden_lines

pytestmark = [pytest.mark.slow, pytest.mark.timeout(2400)]   # a corpus batch is set up by its first test
ASSIGNMENT = "01_probability"
NOTEBOOK = "probability"
ATTACKS = load_specs(SUBMISSIONS / ASSIGNMENT / NOTEBOOK / "attacks")
HONEST = [s for s in load_specs(spec_folder(ASSIGNMENT, NOTEBOOK, "samples")) if s.name == "all_correct"]
LOOPBACK_PORT = 47651  # the port connect_loopback_server.py tries
# every other notebook with an attack folder: (assignment, notebook)
OTHER_CORPORA = sorted((p.parent.parent.name, p.parent.name)
                       for p in SUBMISSIONS.glob("*/*/attacks") if p.is_dir() and any(p.glob("*.py"))
                       and (p.parent.parent.name, p.parent.name) != (ASSIGNMENT, NOTEBOOK))


class AnswerServer:
    """A host-side server on loopback that would hand out answers; it counts who reached it."""

    def __init__(self, port: int):
        self.connections = 0
        self.sock = socket.create_server(("127.0.0.1", port))
        self.sock.settimeout(0.5)
        self.running = True
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self):
        while self.running:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            self.connections += 1
            with conn:
                conn.sendall(b"1.0\n")

    def close(self):
        self.running = False
        self.thread.join(timeout=5)
        self.sock.close()


def sha256(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def attacked(course_template, tmp_path_factory):
    course = copy_course(course_template, tmp_path_factory.mktemp("attacks") / "course")
    source_path = course / "source" / ASSIGNMENT / f"{NOTEBOOK}.ipynb"
    students = {}
    for spec in ATTACKS + HONEST:
        student = f"attack-{spec.name}" if spec in ATTACKS else "honest"
        submit(course, spec, ASSIGNMENT, NOTEBOOK, student)
        students[student] = spec
    before = {"source": sha256(source_path)}
    server = AnswerServer(LOOPBACK_PORT)
    try:
        # Two sandboxes even beside another test process: most of these jobs wait (for a cell's
        # time limit, a sleeping child) rather than compute. Every honest cell of 01 takes
        # milliseconds, so 5 s per cell and a minute per notebook separate hanging from working.
        run = grade(course, ASSIGNMENT, options=Options(
            workers=2, progress=False, cell_timeout=5,
            limits=Limits(wall_seconds=60, cpu_seconds=60)))
    finally:
        server.close()
    return course, run, students, before, server


def test_corpus_is_big_enough():
    assert len(ATTACKS) >= 20


def test_batch_completes_for_every_submission(attacked):
    course, run, students, _, _ = attacked
    graded = {o.student for o in run.outcomes}
    assert graded == set(students), f"not graded: {set(students) - graded}; rejected: {run.rejected}"
    assert not run.reference_problems


@pytest.mark.parametrize("spec", ATTACKS, ids=[s.name for s in ATTACKS])
def test_attack_outcome(attacked, spec):
    _, run, _, _, _ = attacked
    outcome = next(o for o in run.outcomes if o.student == f"attack-{spec.name}")
    verdicts = outcome.verdicts
    for gid in spec.expect_fail:
        assert verdicts[gid].score < verdicts[gid].max_points, f"{spec.name}: wrong answer earned {gid}"
    for gid in spec.expect_keep:
        assert verdicts[gid].trusted_passed, f"{spec.name}: correct answer lost {gid}: {verdicts[gid].reasons}"
    if spec.expect_full:
        assert all(v.trusted_passed for v in verdicts.values()), spec.name


def test_honest_submission_is_unaffected(attacked):
    _, run, _, _, _ = attacked
    honest = next(o for o in run.outcomes if o.student == "honest")
    assert all(v.trusted_passed for v in honest.verdicts.values())
    assert not honest.flags


def test_gradebook_and_answer_key_are_intact(attacked):
    course, run, students, before, _ = attacked
    assert sha256(course / "source" / ASSIGNMENT / f"{NOTEBOOK}.ipynb") == before["source"]
    db = sqlite3.connect(course / "gradebook.db")
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    # nobody reached the scores: no grade above its cell's maximum
    source_points = {grade_id(c): nbgrader_meta(c)["points"]
                     for c in nbformat.read(course / "source" / ASSIGNMENT / f"{NOTEBOOK}.ipynb", as_version=4).cells
                     if nbgrader_meta(c).get("grade")}
    with Gradebook(db_url(course)) as gb:
        notebook = gb.find_notebook(NOTEBOOK, ASSIGNMENT)
        assert {c.name: c.max_score for c in notebook.grade_cells} == source_points
        for student in students:
            sub = gb.find_submission_notebook(NOTEBOOK, ASSIGNMENT, student)
            assert len(gb.find_student(student).submissions) == 1
            for g in sub.grades:
                assert g.auto_score is None or 0 <= g.auto_score <= g.max_score, (student, g.name)
    assert not list((course / "submitted").glob("*/*/huge.bin")), "a sandbox wrote outside its work dir"


def test_no_connection_left_the_sandbox(attacked):
    *_, server = attacked
    assert server.connections == 0


def assert_pages_are_safe(course, assignment, notebook, students):
    secrets = hidden_lines(course, assignment, notebook)
    assert secrets
    for student in students:
        page = course / "feedback" / student / assignment / f"{notebook}.html"
        if not page.exists():
            continue
        text = page.read_text(encoding="utf-8")
        quoted = sorted(line for line in secrets if line in text)
        assert not quoted, f"{student}: the feedback page quotes hidden tests: {quoted[:3]}"
        assert not unsafe_markup(text), f"{student}: {unsafe_markup(text)[:3]}"
        autograded = course / "autograded" / student / assignment / f"{notebook}.ipynb"
        if autograded.exists():
            assert not unsafe_markup(formgrader_view(autograded)), f"{student}: autograded notebook"


@functools.cache
def _html_exporter():
    from nbconvert import HTMLExporter
    return HTMLExporter(template_name="basic")   # loading its templates costs more than a conversion


def formgrader_view(path) -> str:
    """The autograded notebook as formgrader renders it for the instructor (nbconvert's HTML
    exporter; the markup that can run script is the notebook's own, not the template's)."""
    nb = nbformat.read(path, as_version=4)
    body, _ = _html_exporter().from_notebook_node(nb)
    return body


def test_no_page_quotes_hidden_tests_or_runs_submitted_script(attacked):
    course, run, students, _, _ = attacked
    assert_pages_are_safe(course, ASSIGNMENT, NOTEBOOK, students)


def test_dead_and_hung_kernels_are_named_in_the_report(attacked):
    _, run, _, _, _ = attacked
    notes = {o.student: " ".join(o.notes) for o in run.outcomes}
    assert "the kernel died in cell" in notes["attack-os_exit_kills_kernel"]
    assert "simulate_patients" in notes["attack-os_exit_kills_kernel"]
    assert "did not recover from a timeout" in notes["attack-loop_catching_base_exception"]


def test_hidden_tests_asked_for_out_of_turn_earn_nothing_and_are_named(attacked):
    _, run, _, _, _ = attacked
    thief = next(o for o in run.outcomes if o.student == "attack-steal_hidden_tests_from_the_pipe")
    assert any("asked for twice" in n for n in thief.notes), thief.notes


# ---------------------------------------------------------------- the other assignments

@pytest.fixture(scope="module", params=OTHER_CORPORA, ids=["/".join(c) for c in OTHER_CORPORA])
def attacked_other(request, graded_corpus):
    assignment, notebook = request.param
    return assignment, notebook, graded_corpus(assignment)


def test_other_attacks_hold(attacked_other):
    assignment, notebook, corpus = attacked_other
    assert not corpus.run.reference_problems, corpus.run.reference_problems
    assert not corpus.run.rejected, corpus.run.rejected
    problems, attackers = [], []
    for kind, _, spec, outcome in corpus.outcomes(["attacks", "samples"], notebook):
        verdicts = outcome.verdicts
        if kind == "samples" and spec.name != "all_correct":
            continue
        attackers.append(outcome.student)
        problems += [f"{spec.name}: wrong answer earned {g}" for g in spec.expect_fail
                     if g not in verdicts or verdicts[g].trusted_passed]
        problems += [f"{spec.name}: correct answer lost {g}: {verdicts[g].reasons}" for g in spec.expect_keep
                     if g not in verdicts or not verdicts[g].trusted_passed]
        if spec.expect_full or kind == "samples":   # the honest submission graded beside them
            problems += [f"{spec.name}: lost {g}" for g, v in verdicts.items() if not v.trusted_passed]
    assert len(attackers) > 1 and not problems, "\n".join(problems)
    assert_pages_are_safe(corpus.course, assignment, notebook, attackers)
