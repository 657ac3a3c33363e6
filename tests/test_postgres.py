"""A course with several graders on one PostgreSQL gradebook, as the README sets it up.

A real server (Debian's initdb and pg_ctl, in a temporary folder) holds the gradebook; two
checkouts of the course name it once, in their nbgrader_config.py. One grader releases both
assignments into it; then `course grade` runs in each checkout AT THE SAME TIME, on a different
assignment, for the same students (so both runs meet each new student row). Afterwards every
submission is in the database exactly once, `nbgrader export` agrees with each checkout's lms.csv,
a second run grades nothing again, and a score typed in formgrader lands in the database and in
the other checkout's report.
"""
from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from nbgrader.api import Gradebook, MissingEntry
from sqlalchemy import text

from autograder.cells import grade_id, nbgrader_meta
from autograder.grading import Options, grade, gradebook
from autograder.layout import source_notebooks
from autograder.nbgrader_app import api, cached_config, db_url
from autograder.reports.feedback import page_path
from autograder.reports.results import question_of, read_scores
from autograder.reports.tables import questions
from course.cli import main
from course.demo import prepare_course_copy
from course.release import build_release
from course.specs import load_specs, submit

from conftest import copy_course, spec_folder
from postgres_server import postgres_server
from test_feedback import formgrader_server

pytestmark = [pytest.mark.slow, pytest.mark.postgres, pytest.mark.timeout(600)]

COURSE_ID = "dl-from-bayes-to-gpt"
# assignment -> (the notebook handed in, student -> the example student they hand in)
HANDED_IN = {
    "01_probability": ("probability", {"kim": "all_correct", "lee": "fails_hidden_only", "park": "blank"}),
    "02_attention_from_scratch": ("self_attention", {"kim": "all_correct", "lee": "part_one_only"}),
}


def start_grading(course: Path, assignment: str) -> subprocess.Popen:
    # one worker each: the two runs together keep two cores busy
    return subprocess.Popen([sys.executable, "-m", "course.cli", "grade", assignment, "--workers", "1"],
                            cwd=course, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def finished(process: subprocess.Popen) -> str:
    stdout, stderr = process.communicate(timeout=600)
    assert process.returncode == 0, stdout[-3000:] + stderr[-3000:]
    return stdout


def rows(path: Path, key: str = "student_id", encoding: str = "utf-8-sig") -> dict[str, dict]:
    with path.open(encoding=encoding, newline="") as f:
        return {r[key]: r for r in csv.DictReader(f)}


def grade_rows(url: str) -> list[tuple]:
    """Every grade in the database: (assignment, student, notebook, cell, auto, manual)."""
    with Gradebook(url, COURSE_ID) as gb:
        return sorted(gb.db.execute(text(
            "SELECT a.name, sa.student_id, n.name, c.name, g.auto_score, g.manual_score FROM grade g "
            "JOIN submitted_notebook sn ON g.notebook_id = sn.id JOIN notebook n ON sn.notebook_id = n.id "
            "JOIN submitted_assignment sa ON sn.assignment_id = sa.id JOIN assignment a ON sa.assignment_id = a.id "
            "JOIN base_cell c ON g.cell_id = c.id")).all())


@pytest.fixture(scope="module")
def shared(course_template, tmp_path_factory):
    """Two checkouts on one PostgreSQL gradebook, each after its `course grade`, both run at once."""
    with postgres_server() as server:
        url = server.create_gradebook("dl_course", "grader")
        checkouts = {}
        for assignment in HANDED_IN:
            course = copy_course(course_template, tmp_path_factory.mktemp("postgres") / "course")
            (course / "gradebook.db").unlink()   # the template's SQLite gradebook: nothing may use it
            with open(course / "nbgrader_config.py", "a", encoding="utf-8") as config:
                config.write(f"\nc.CourseDirectory.db_url = {url!r}\n")
            checkouts[assignment] = course
        first = checkouts["01_probability"]
        for assignment in HANDED_IN:   # one grader releases; the other checkout has release/ from git
            build_release(first, assignment, "ko")
        for assignment, (notebook, students) in HANDED_IN.items():
            samples = {spec.name: spec for spec in load_specs(spec_folder(assignment, notebook, "samples"))}
            for student, sample in students.items():
                submit(checkouts[assignment], samples[sample], assignment, notebook, student)
        runs = {a: start_grading(course, a) for a, course in checkouts.items()}
        outputs = {a: finished(process) for a, process in runs.items()}
        yield url, checkouts, outputs


def test_the_config_names_the_database_once_and_nothing_uses_sqlite(shared):
    url, checkouts, _ = shared
    for course in checkouts.values():
        # the kit's own reads and writes, and nbgrader's API (releases, `course grade --stock`,
        # the feedback buttons) take the one line of nbgrader_config.py
        assert db_url(course) == url == cached_config(course).CourseDirectory.db_url == api(course).coursedir.db_url
        assert not (course / "gradebook.db").exists()


def test_a_copy_for_the_demo_keeps_its_own_gradebook(shared, tmp_path):
    """`make demo` grades example students in a copy of the course: never into the shared database."""
    _, checkouts, _ = shared
    demo = prepare_course_copy(checkouts["01_probability"], tmp_path / "demo")
    assert db_url(demo) == f"sqlite:///{demo / 'gradebook.db'}" == api(demo).coursedir.db_url


def test_both_runs_are_complete_and_nothing_is_lost_or_doubled(shared):
    url, checkouts, outputs = shared
    with Gradebook(url, COURSE_ID) as gb:
        assert sorted(s.id for s in gb.students) == sorted({s for _, who in HANDED_IN.values() for s in who})
        for assignment, (_, students) in HANDED_IN.items():
            record = gb.find_assignment(assignment)
            notebooks = [nb.name for nb in record.notebooks]
            assert sorted(s.student.id for s in record.submissions) == sorted(students)
            for nb in record.notebooks:
                assert sorted(s.student.id for s in nb.submissions) == sorted(students), nb.name
                for submitted in nb.submissions:   # one grade per graded cell, none twice
                    assert sorted(g.name for g in submitted.grades) == sorted(c.name for c in nb.grade_cells)
            assert f"{len(students) * len(notebooks)} notebooks (0 already graded, skipped), 0 submissions " \
                   "rejected" in outputs[assignment]
    graded = grade_rows(url)
    assert len(graded) == len(set(graded))
    for assignment, (notebook, _) in HANDED_IN.items():   # real scores, not the zeros of a lost run
        scores = {r.student: r.totals for r in read_scores(checkouts[assignment], assignment)
                  if r.notebook == notebook}
        assert scores["kim"].auto == scores["kim"].auto_max > scores["lee"].auto > 0, assignment


def report(course: Path, assignment: str, monkeypatch) -> dict[str, dict]:
    """`course report` in a checkout: its lms.csv rows, by student."""
    monkeypatch.chdir(course)
    assert main(["report", assignment]) == 0
    return rows(course / "reports" / assignment / "lms.csv")


def test_nbgrader_export_agrees_with_each_checkouts_lms_csv(shared, monkeypatch):
    _, checkouts, _ = shared
    first = checkouts["01_probability"]
    export = subprocess.run([sys.executable, "-m", "nbgrader", "export"], cwd=first, capture_output=True,
                            text=True, timeout=300)
    assert export.returncode == 0, export.stderr
    with (first / "grades.csv").open(encoding="utf-8") as f:
        exported = list(csv.DictReader(f))
    everyone = {s for _, students in HANDED_IN.values() for s in students}
    for assignment, course in checkouts.items():   # one export from one checkout holds both
        lms = report(course, assignment, monkeypatch)
        mine = {r["student_id"]: r for r in exported if r["assignment"] == assignment}
        assert set(mine) == set(lms) == everyone
        for student, row in mine.items():
            if student in HANDED_IN[assignment][1]:
                assert float(lms[student]["total"]) == float(row["score"]), (assignment, student)
            else:   # nbgrader exports a zero where the LMS file leaves the total empty
                assert lms[student]["total"] == "" and float(row["score"]) == 0, (assignment, student)
            assert float(lms[student]["max_score"]) == float(row["max_score"]), (assignment, student)


def test_a_second_run_grades_nothing_again(shared):
    """Each checkout's journal: a run again (or after a kill) skips what that checkout graded."""
    url, checkouts, _ = shared
    before = grade_rows(url)
    for assignment, course in checkouts.items():
        notebook, students = HANDED_IN[assignment]
        run = grade(course, assignment, options=Options(workers=1, progress=False))
        assert sorted((o.student, o.notebook) for o in run.outcomes if o.resumed) == \
            sorted((s, notebook) for s in students)
        assert not run.rejected
    assert grade_rows(url) == before


def test_two_runs_adding_one_student_both_keep_their_grades(shared):
    """The race the concurrent runs may or may not hit: another grader's run adds the student
    between this run's look-up and its insert. The insert fails (nbgrader rolls it back); the
    run goes on with the other's row."""
    url, _, _ = shared
    looked_up = []

    def too_early(student):
        looked_up.append(student)
        if len(looked_up) == 1:
            with Gradebook(url, COURSE_ID) as other:
                other.add_student(student)
            raise MissingEntry(student)
        return gb.find_student(student)
    with Gradebook(url, COURSE_ID) as gb:
        try:
            assert gradebook._find_or_add(too_early, gb.add_student, "han").id == "han"
            assert looked_up == ["han", "han"]
            assert [s.id for s in gb.students].count("han") == 1
        finally:
            gb.remove_student("han")
            gb.db.commit()


def questions_in_notebook_order(course: Path, assignment: str) -> list[str]:
    source = nbformat.read(source_notebooks(course, assignment)[0], as_version=4)
    order = []
    for cell in source.cells:
        if nbgrader_meta(cell).get("grade") and question_of(grade_id(cell)) not in order:
            order.append(question_of(grade_id(cell)))
    return order


def test_a_score_typed_in_formgrader_lands_in_the_database(shared, monkeypatch):
    url, checkouts, _ = shared
    first, other = checkouts["01_probability"], checkouts["02_attention_from_scratch"]
    cell = "answer_disease_by_hand"
    with formgrader_server(first) as call:
        notebooks = call("/formgrader/api/submitted_notebooks/01_probability/probability", method="GET")
        kim = next(nb for nb in notebooks if nb["student"] == "kim")
        grades = call(f"/formgrader/api/grades?submission_id={kim['id']}", method="GET")
        answer = next(g for g in grades if g["name"] == cell)
        saved = call(f"/formgrader/api/grade/{answer['id']}", method="PUT", body={"manual_score": 12})
        assert saved["manual_score"] == 12
    with Gradebook(url, COURSE_ID) as gb:
        assert gb.find_grade(cell, "probability", "01_probability", "kim").manual_score == 12
    # the checkout that graded kim writes the feedback page again; the other one reports it too
    monkeypatch.chdir(first)
    assert main(["feedback", "01_probability", "--student", "kim"]) == 0
    page = page_path(first, "01_probability", "kim", "probability").read_text(encoding="utf-8")
    assert f"<b>{cell}</b>: 12 / 15, graded by a person" in page
    lms = report(other, "01_probability", monkeypatch)
    assert lms["kim"]["status"] == "1 written answer to grade"
    # PostgreSQL returns rows in no set order (updated rows move): the reports keep the
    # notebook's order of questions all the same
    assert questions(read_scores(other, "01_probability")) == questions_in_notebook_order(other, "01_probability")
