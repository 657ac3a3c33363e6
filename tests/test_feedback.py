"""Feedback pages, whichever way an instructor makes them, on a course graded by `course grade`.

Two 01_probability students are graded once for the module (one loses a hidden test, one writes
both written answers); each test works on its own copy. The ways a page is made: `course grade`
itself, formgrader's Generate Feedback and Release Feedback buttons (in a Jupyter server started
in the course folder and hit over HTTP, and through the NbGraderAPI methods its handlers call),
`nbgrader generate_feedback` run as a command, and `course feedback`. No file any of them leaves
under feedback/ (nor what Release Feedback copies to the exchange) holds a line of a hidden test
or of the instructor's solutions, though the autograded notebook they start from holds the
hidden tests in full.
"""
from __future__ import annotations

import contextlib
import html
import json
import secrets
import socket
import subprocess
import sys
import time
import urllib.request

import nbformat
import pytest
from nbconvert.exporters import HTMLExporter
from nbgrader.api import Gradebook

import autograder.sandbox
from autograder.grading import Options, grade
from autograder.nbgrader_app import api, checked, db_url
from autograder.reports.feedback import NO_REASONS_NOTE, autograded_path, page_path
from autograder.stock import nbgrader_run
from course.cli import main
from course.specs import load_specs, submit

from conftest import GRADING_WORKERS, copy_course, spec_folder
from leaks import answer_lines, hidden_lines, quoted

pytestmark = [pytest.mark.slow, pytest.mark.timeout(900)]

ASSIGNMENT, NOTEBOOK = "01_probability", "probability"
STUDENTS = {"loses_hidden": "fails_hidden_only", "writes_answers": "all_correct"}
COURSE_ID = "dl-from-bayes-to-gpt"


@pytest.fixture(scope="module")
def graded_course(course_template, tmp_path_factory):
    course = copy_course(course_template, tmp_path_factory.mktemp("feedback") / "course")
    samples = {spec.name: spec for spec in load_specs(spec_folder(ASSIGNMENT, NOTEBOOK, "samples"))}
    for student, sample in STUDENTS.items():
        submit(course, samples[sample], ASSIGNMENT, NOTEBOOK, student)
        # what nbgrader's exchange leaves beside a collected submission (Release Feedback reads them)
        folder = course / "submitted" / student / ASSIGNMENT
        (folder / "timestamp.txt").write_text("2026-03-02 09:00:00.000000 UTC", encoding="utf-8")
        (folder / "submission_secret.txt").write_text(f"the exchange's secret for {student}", encoding="utf-8")
    run = grade(course, ASSIGNMENT, options=Options(workers=GRADING_WORKERS, progress=False, resume=False),
                students=sorted(STUDENTS))
    assert not run.rejected and len(run.outcomes) == len(STUDENTS), run.rejected
    return course


@pytest.fixture
def course(graded_course, tmp_path):
    return copy_course(graded_course, tmp_path / "course")


def page_of(course, student) -> str:
    return page_path(course, ASSIGNMENT, student, NOTEBOOK).read_text(encoding="utf-8")


def leaks(course, files) -> dict[str, list[str]]:
    """file -> the hidden-test and solution lines it quotes (empty: nothing leaked)."""
    hidden = hidden_lines(course, ASSIGNMENT, NOTEBOOK)
    assert len(hidden) > 50, "the check needs the hidden tests to look for"
    found = {}
    for path in files:
        student = path.relative_to(course).parts[1] if path.is_relative_to(course / "feedback") else None
        lines = hidden | (answer_lines(course, ASSIGNMENT, NOTEBOOK, student) if student in STUDENTS else set())
        hits = quoted(path.read_text(encoding="utf-8", errors="replace"), lines)
        if hits:
            found[str(path)] = hits[:3]
    return found


def feedback_files(course) -> list:
    return sorted(p for p in (course / "feedback").rglob("*") if p.is_file())


def test_formgraders_feedback_buttons_write_the_kits_pages(course, tmp_path):
    exchange = tmp_path / "exchange"
    exchange.mkdir()
    graded = {s: page_of(course, s) for s in STUDENTS}
    formgrader = api(course, Exchange={"root": str(exchange)})
    checked(formgrader.generate_feedback(ASSIGNMENT), "Generate Feedback (all students)")
    checked(formgrader.generate_feedback(ASSIGNMENT, "loses_hidden"), "Generate Feedback (one student)")
    checked(formgrader.release_feedback(ASSIGNMENT), "Release Feedback")
    released = sorted((exchange / COURSE_ID / "feedback").glob("*.html"))
    assert len(released) == len(STUDENTS)

    assert leaks(course, feedback_files(course) + released) == {}
    # the very pages `course grade` wrote, trusted reasons and all
    assert {s: page_of(course, s) for s in STUDENTS} == graded
    assert "results differ from the reference" in graded["loses_hidden"]
    assert {p.read_text(encoding="utf-8") for p in released} == set(graded.values())


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def formgrader_server(course):
    """A Jupyter server in the course folder, with nbgrader's formgrader as installed, on a
    loopback port; yields a function that sends a request (POST unless told, with a JSON body if
    given) to a formgrader API path and returns its JSON answer."""
    port, token = free_port(), secrets.token_hex(16)
    server = subprocess.Popen([sys.executable, "-m", "jupyter_server", "--no-browser", "--ip=127.0.0.1",
                               f"--port={port}", f"--IdentityProvider.token={token}", "--allow-root",
                               f"--ServerApp.root_dir={course}"],
                              cwd=course, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    base = f"http://127.0.0.1:{port}"

    def call(path: str, method: str = "POST", body: dict | None = None) -> dict:
        data = json.dumps(body).encode() if body is not None else (b"" if method != "GET" else None)
        request = urllib.request.Request(base + path, data=data, method=method,
                                         headers={"Authorization": f"token {token}"})
        with urllib.request.urlopen(request, timeout=300) as response:
            return json.loads(response.read())
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=5).close()
                break
            except OSError:
                assert server.poll() is None and time.monotonic() < deadline, server.stderr.read()[-3000:]
                time.sleep(0.5)
        yield call
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_formgraders_server_buttons_write_the_kits_pages(course, tmp_path):
    """The real thing: formgrader's handlers in a started Jupyter server, hit over HTTP."""
    exchange = tmp_path / "exchange"
    exchange.mkdir()
    with open(course / "nbgrader_config.py", "a", encoding="utf-8") as config:
        config.write(f"\nc.Exchange.root = {str(exchange)!r}\n")
    graded = {s: page_of(course, s) for s in STUDENTS}
    for page in feedback_files(course):
        page.unlink()
    with formgrader_server(course) as post:
        for path in (f"/formgrader/api/assignment/{ASSIGNMENT}/generate_feedback",
                     f"/formgrader/api/assignment/{ASSIGNMENT}/loses_hidden/generate_feedback",
                     f"/formgrader/api/assignment/{ASSIGNMENT}/release_feedback"):
            answer = post(path)
            assert answer["success"], (path, answer.get("error"), answer.get("log"))
    released = sorted((exchange / COURSE_ID / "feedback").glob("*.html"))
    assert {s: page_of(course, s) for s in STUDENTS} == graded
    assert {p.read_text(encoding="utf-8") for p in released} == set(graded.values())
    assert leaks(course, feedback_files(course) + released) == {}


def test_the_leak_check_finds_nbgraders_own_page(course):
    """nbgrader's stock exporter on the same notebooks: every hidden test is on its page."""
    stock = api(course, GenerateFeedback={"exporter_class": HTMLExporter,
                                          "preprocessors": ["nbgrader.preprocessors.GetGrades"]})
    checked(stock.generate_feedback(ASSIGNMENT), "stock generate_feedback")
    found = leaks(course, feedback_files(course))
    assert set(found) == {str(page_path(course, ASSIGNMENT, s, NOTEBOOK)) for s in STUDENTS}, found
    assert leaks(course, [autograded_path(course, ASSIGNMENT, "loses_hidden", NOTEBOOK)]), \
        "the autograded notebook holds the hidden tests: the pages made from it must cut them"


def test_nbgrader_generate_feedback_command_writes_the_kits_pages(course):
    graded = {s: page_of(course, s) for s in STUDENTS}
    for page in feedback_files(course):
        page.unlink()
    done = subprocess.run([sys.executable, "-m", "nbgrader", "generate_feedback", ASSIGNMENT, "--force"],
                          cwd=course, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert {s: page_of(course, s) for s in STUDENTS} == graded
    assert leaks(course, feedback_files(course)) == {}


def test_a_notebook_graded_by_nbgrader_itself_gets_its_hidden_tests_cut(course):
    """`nbgrader autograde` (here as `course grade --stock` runs it) rewrites the autograded notebook,
    hidden tests and their outputs included: the kit's record no longer describes it, so the page
    is made from that notebook with every hidden region cut out."""
    outcome, = nbgrader_run.autograde(course, ASSIGNMENT, ["loses_hidden"])
    assert outcome.ok, outcome.message
    checked(api(course).generate_feedback(ASSIGNMENT, "loses_hidden"), "Generate Feedback")
    page = page_of(course, "loses_hidden")
    assert html.escape(NO_REASONS_NOTE) in page and "results differ from the reference" not in page
    assert "test_chain_rule_hidden" in page and "def chain_rule" in page
    assert leaks(course, feedback_files(course)) == {}


def set_manual_grade(course, student, cell, points, comment):
    """What formgrader's GradeHandler and CommentHandler do when a grader saves a score and a comment."""
    with Gradebook(db_url(course)) as gb:
        submission = gb.find_submission_notebook(NOTEBOOK, ASSIGNMENT, student)
        grade_row = next(g for g in submission.grades if g.name == cell)
        grade_row.manual_score = points
        grade_row.needs_manual_grade = grade_row.manual_score is None and grade_row.auto_score is None
        next(c for c in submission.comments if c.name == cell).manual_comment = comment
        gb.db.commit()


def test_written_answers_pending_then_graded_and_course_feedback_runs_nothing(course, monkeypatch):
    before = page_of(course, "writes_answers")
    assert "<b>answer_disease_by_hand</b>: to be graded by a person (up to 15 points)" in before
    assert "still to be graded (up to 20 points)" in before and "Total so far" in before

    set_manual_grade(course, "writes_answers", "answer_disease_by_hand", 12,
                     "Right rules. Step 3 drops the $P(\\neg D)$ branch <script>x</script>.")
    set_manual_grade(course, "writes_answers", "answer_base_rate", 4, "Clear.")
    with Gradebook(db_url(course)) as gb:
        total = gb.find_submission(ASSIGNMENT, "writes_answers").score

    def no_sandbox(*args, **kwargs):
        raise AssertionError("course feedback started a sandbox")
    monkeypatch.setattr(autograder.sandbox, "run_sandboxed", no_sandbox)
    journal = course / "autograded" / ".course-grade" / f"{ASSIGNMENT}.jsonl"
    lines = journal.read_text(encoding="utf-8")
    monkeypatch.chdir(course)
    assert main(["feedback", ASSIGNMENT]) == 0
    assert journal.read_text(encoding="utf-8") == lines, "nothing was graded again"

    after = page_of(course, "writes_answers")
    assert "<b>answer_disease_by_hand</b>: 12 / 15, graded by a person" in after
    assert "<b>answer_base_rate</b>: 4 / 5, graded by a person" in after
    assert "<i>Grader's comment:</i>" in after
    assert "Step 3 drops the <span class=\"math inline\">$P(\\neg D)$</span>" in after
    assert "&lt;script&gt;x&lt;/script&gt;" in after and "<script>x" not in after
    assert f"<tr><th>Total</th><th>{total:g} / 55</th></tr>" in after and total == 35 + 16
    assert "to be graded" not in after
    # formgrader's button and `nbgrader export` agree with `course feedback`
    checked(api(course).generate_feedback(ASSIGNMENT, "writes_answers"), "Generate Feedback")
    assert page_of(course, "writes_answers") == after


def test_course_feedback_refuses_what_it_cannot_do(course, monkeypatch, capsys):
    monkeypatch.chdir(course)
    pages = {p: p.read_bytes() for p in feedback_files(course)}
    assert main(["feedback", ASSIGNMENT, "--student", "nobody"]) == 2
    assert "nobody has no graded submission of 01_probability" in capsys.readouterr().err
    assert main(["feedback", "99_nothing"]) == 2
    assert "99_nothing is not in the gradebook" in capsys.readouterr().err
    assert {p: p.read_bytes() for p in feedback_files(course)} == pages
    assert main(["feedback", ASSIGNMENT, "--student", "loses_hidden"]) == 0
    assert "1 feedback page(s) written" in capsys.readouterr().out


def test_an_autograded_notebook_the_record_does_not_describe_is_not_trusted(course, monkeypatch):
    """A record names its autograded notebook by digest: after any change to the notebook the
    page is made from the notebook itself, hidden regions cut out."""
    path = autograded_path(course, ASSIGNMENT, "loses_hidden", NOTEBOOK)
    nb = nbformat.read(path, as_version=4)
    nb.metadata["edited"] = True
    nbformat.write(nb, path)
    monkeypatch.chdir(course)
    assert main(["feedback", ASSIGNMENT, "--student", "loses_hidden"]) == 0
    page = page_of(course, "loses_hidden")
    assert html.escape(NO_REASONS_NOTE) in page
    assert leaks(course, feedback_files(course)) == {}

