"""The instructor's numbers come from the gradebook, for the whole class, every time.

A course folder is graded through `course grade` (01_probability, two students), then a person
grades the written answers the way formgrader's REST handlers do (manual_score on the Grade,
manual_comment on the Comment); `course report` rebuilds the reports without grading. Every file
meant for a person (grades.csv, questions.csv, lms.csv, the terminal table, report.html) shows the
person's scores; `nbgrader export` and each student's feedback page agree with lms.csv; a regrade
keeps what the person decided;
two runs (one student, then an LMS zip of others) leave a report of all of them, names included.
"""
from __future__ import annotations

import csv
import io
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import nbformat
import pytest
from nbgrader.api import Gradebook

from autograder.grading import Options, grade
from autograder.grading.publish import publish
from autograder.nbgrader_app import db_url
from autograder.reports.csv_files import write_lms_csv
from autograder.reports.feedback import page_path
from autograder.reports.results import CellScore, NotebookResult, student_totals
from course.specs import SubmissionSpec, build_submission, submit

from conftest import ROOT, copy_course

pytestmark = pytest.mark.slow
ASSIGNMENT = "01_probability"
NOTEBOOK = "probability"
FAST = dict(workers=2, progress=False)
# 01's written answers: answer_disease_by_hand (15 points) and answer_base_rate (5)
BY_HAND = {"answer_disease_by_hand": (12.0, "서술이 정확합니다, 단위가 빠졌습니다"), "answer_base_rate": (4.0, "good")}


def course_cli(course: Path, *args: str) -> subprocess.CompletedProcess:
    run = subprocess.run([sys.executable, "-m", "course.cli", *args], cwd=course, capture_output=True,
                         text=True, timeout=900)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    return run


def grade_by_hand(course: Path, student: str, scores: dict[str, tuple[float, str]], extra: dict | None = None):
    """What formgrader's GradeHandler.put and CommentHandler.put do, through the gradebook API."""
    with Gradebook(db_url(course)) as gb:
        for gid, (score, comment) in scores.items():
            grade = gb.find_grade(gid, NOTEBOOK, ASSIGNMENT, student)
            grade.manual_score = score
            grade.extra_credit = (extra or {}).get(gid)
            grade.needs_manual_grade = grade.manual_score is None and grade.auto_score is None
            gb.find_comment(gid, NOTEBOOK, ASSIGNMENT, student).manual_comment = comment
        gb.db.commit()


def exported(course: Path) -> dict[str, dict]:
    """`nbgrader export`'s grades.csv rows of the assignment, by student."""
    export = subprocess.run([sys.executable, "-m", "nbgrader", "export"], cwd=course,
                            capture_output=True, text=True, timeout=300)
    assert export.returncode == 0, export.stderr
    with (course / "grades.csv").open(encoding="utf-8") as f:
        return {r["student_id"]: r for r in csv.DictReader(f) if r["assignment"] == ASSIGNMENT}


def rows(path: Path, key: str = "student_id", encoding: str = "utf-8-sig") -> dict[str, dict]:
    with path.open(encoding=encoding, newline="") as f:
        return {r[key]: r for r in csv.DictReader(f)}


def reports(course: Path) -> Path:
    return course / "reports" / ASSIGNMENT


def notebook_bytes(course: Path, spec: SubmissionSpec) -> bytes:
    source = nbformat.read(course / "source" / ASSIGNMENT / f"{NOTEBOOK}.ipynb", as_version=4)
    release = nbformat.read(course / "release" / spec.lang / ASSIGNMENT / f"{NOTEBOOK}.ipynb", as_version=4)
    return nbformat.writes(build_submission(spec, source, release)).encode()


@pytest.fixture(scope="module")
def graded(course_template, tmp_path_factory):
    """01_probability graded for two students by `course grade`; their written answers wait."""
    course = copy_course(course_template, tmp_path_factory.mktemp("class") / "course")
    submit(course, SubmissionSpec("good"), ASSIGNMENT, NOTEBOOK, "s1")
    submit(course, SubmissionSpec("blank", base="release"), ASSIGNMENT, NOTEBOOK, "s2")
    cli = course_cli(course, "grade", ASSIGNMENT, "--workers", "2")
    return course, cli.stdout


@pytest.fixture
def course_copy(graded, tmp_path) -> Path:
    return copy_course(graded[0], tmp_path / "course")


def test_written_answers_wait_and_are_named_as_pending(graded):
    course, table = graded
    assert "0/20, 2 pending" in table   # the terminal's written column; each answer is in questions.csv
    lms = rows(reports(course) / "lms.csv")
    assert lms["s1"]["total"] == "35" and lms["s1"]["max_score"] == "55"
    assert lms["s1"]["status"] == "2 written answers to grade"
    assert lms["s2"]["total"] == "0" and lms["s2"]["status"] == "graded"   # blank answers score 0 by themselves
    questions = list(csv.DictReader(open(reports(course) / "questions.csv", encoding="utf-8")))
    by_hand = {(r["student"], r["question"]): r for r in questions}
    assert by_hand[("s1", "answer_disease_by_hand")]["status"] == "pending"
    assert by_hand[("s1", "answer_disease_by_hand")]["score"] == ""
    assert by_hand[("s2", "answer_disease_by_hand")]["status"] == "blank"


def test_a_written_answer_graded_in_formgrader_reaches_every_report(course_copy):
    grade_by_hand(course_copy, "s1", BY_HAND, extra={"answer_base_rate": 1.0})
    out = course_cli(course_copy, "report", ASSIGNMENT).stdout
    # the terminal table: the person's scores in the written column and the total with extra credit
    s1 = next(line for line in out.splitlines() if line.startswith("s1 "))
    assert "16/20" in s1 and "51/55 +1" in s1
    assert "pending" not in out
    lms = rows(reports(course_copy) / "lms.csv")
    assert lms["s1"]["total"] == "52" and lms["s1"][NOTEBOOK] == "52" and lms["s1"]["status"] == "graded"
    grades = rows(reports(course_copy) / "grades.csv", key="student", encoding="utf-8")
    assert (grades["s1"]["auto_score"], grades["s1"]["manual_score"], grades["s1"]["manual_max"]) == ("35", "16", "20")
    assert (grades["s1"]["extra_credit"], grades["s1"]["score"], grades["s1"]["manual_pending"]) == ("1", "52", "0")
    questions = {(r["student"], r["question"]): r
                 for r in csv.DictReader(open(reports(course_copy) / "questions.csv", encoding="utf-8"))}
    assert questions[("s1", "answer_disease_by_hand")]["score"] == "12"
    assert questions[("s1", "answer_disease_by_hand")]["status"] == "graded"
    assert questions[("s1", "answer_base_rate")]["extra_credit"] == "1"
    html = (reports(course_copy) / "report.html").read_text(encoding="utf-8")
    assert "51/55 +1" in html and "wait for a person" not in html
    # the library function, the same totals the feedback page shows
    totals = student_totals(course_copy, ASSIGNMENT)["s1"]
    assert (totals.auto, totals.manual, totals.pending, totals.extra_credit, totals.score, totals.max_score) == \
        (35, 16, 0, 1, 52, 55)


def test_nbgrader_export_totals_equal_lms_totals(course_copy):
    grade_by_hand(course_copy, "s1", BY_HAND)
    grade_by_hand(course_copy, "s2", {"answer_base_rate": (2.0, "")})   # a person may score a blank answer too
    course_cli(course_copy, "report", ASSIGNMENT)
    export = exported(course_copy)
    lms = rows(reports(course_copy) / "lms.csv")
    assert set(lms) == set(export) == {"s1", "s2"}
    for student, row in lms.items():
        assert float(row["total"]) == float(export[student]["raw_score"]) == float(export[student]["score"])
        assert float(row["max_score"]) == float(export[student]["max_score"]) == 55
    assert lms["s1"]["total"] == "51" and lms["s2"]["total"] == "2"


def test_the_feedback_page_total_is_the_lms_total_and_nbgraders(course_copy):
    """One written answer graded in formgrader (with extra credit), the other still waiting; a
    blank answer a person scored anyway: the page each student reads counts what lms.csv and
    `nbgrader export` count."""
    disease = "answer_disease_by_hand"
    grade_by_hand(course_copy, "s1", {disease: BY_HAND[disease]}, extra={disease: 1.0})
    grade_by_hand(course_copy, "s2", {"answer_base_rate": (2.0, "")})
    course_cli(course_copy, "feedback", ASSIGNMENT)
    course_cli(course_copy, "report", ASSIGNMENT)
    export, lms = exported(course_copy), rows(reports(course_copy) / "lms.csv")
    for student in ("s1", "s2"):
        page = page_path(course_copy, ASSIGNMENT, student, NOTEBOOK).read_text(encoding="utf-8")
        total = re.findall(r"<tr><th>Total(?: so far)?</th><th>([\d.]+) / ([\d.]+)</th></tr>", page)
        assert len(total) == 1, f"{student}'s page has no one total"
        (got, top), = total
        assert float(got) == float(lms[student]["total"]) == float(lms[student][NOTEBOOK]) \
            == float(export[student]["score"]), student
        assert float(top) == float(lms[student]["max_score"]) == float(export[student]["max_score"]) == 55
    assert lms["s1"]["total"] == "48" and lms["s2"]["total"] == "2"   # 35 + 12 + 1 extra; the blank one's 2
    s1 = page_path(course_copy, ASSIGNMENT, "s1", NOTEBOOK).read_text(encoding="utf-8")
    assert "<th>Total so far</th><th>48 / 55</th>" in s1 and "12 / 20 (1 of 2 still to be graded)" in s1
    assert f"<b>{disease}</b>: 12 / 15 (+1 extra credit), graded by a person" in s1
    assert BY_HAND[disease][1] in s1 and "<tr><td>Extra credit</td><td>+1</td></tr>" in s1


def test_a_regrade_keeps_what_a_person_decided(course_copy):
    grade_by_hand(course_copy, "s1", BY_HAND)
    # s2 rewrites a written answer after it was graded: that one score is to be looked at again
    grade_by_hand(course_copy, "s2", {"answer_base_rate": (1.0, "")})
    path = course_copy / "submitted" / "s2" / ASSIGNMENT / f"{NOTEBOOK}.ipynb"
    nb = nbformat.read(path, as_version=4)
    answer = next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == "answer_base_rate")
    answer.source = "A rare disease stays unlikely after one positive test."
    nbformat.write(nb, path)
    run = grade(course_copy, ASSIGNMENT, options=Options(resume=False, **FAST))
    assert {o.student for o in run.outcomes if not o.resumed} == {"s1", "s2"} and not run.rejected
    with Gradebook(db_url(course_copy)) as gb:
        for gid, (score, _) in BY_HAND.items():
            g = gb.find_grade(gid, NOTEBOOK, ASSIGNMENT, "s1")
            assert g.manual_score == score and not g.needs_manual_grade, gid
        changed = gb.find_grade("answer_base_rate", NOTEBOOK, ASSIGNMENT, "s2")
        assert changed.manual_score == 1.0 and changed.needs_manual_grade
    table, paths = publish(course_copy, run)
    s1 = next(line for line in table.splitlines() if line.startswith("s1 "))
    assert "16/20" in s1 and "51/55" in s1 and "pending" not in s1
    s2 = next(line for line in table.splitlines() if line.startswith("s2 "))
    assert "1/20, 1 recheck" in s2
    assert "1/5 (recheck)" in paths["html"].read_text(encoding="utf-8")   # the full table, per question
    lms = rows(paths["lms"])
    assert lms["s1"]["total"] == "51" and "1 score to check again" in lms["s2"]["status"]


def test_two_runs_leave_a_report_of_the_whole_class(fresh_course, tmp_path):
    course = fresh_course
    submit(course, SubmissionSpec("good"), ASSIGNMENT, NOTEBOOK, "2026000")
    course_cli(course, "grade", ASSIGNMENT, "--student", "2026000")
    good = notebook_bytes(course, SubmissionSpec("good"))
    evil_name = '=HYPERLINK("evil.example","x")'
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(f"2026001_김민수_{NOTEBOOK}.ipynb", good)
        archive.writestr(f"2026002_{evil_name}/{NOTEBOOK}.ipynb", good)
        archive.writestr(f"2026003_박지훈_{NOTEBOOK}.ipynb", b'{"cells": [')   # broken in the upload
    zipped = tmp_path / "lms.zip"
    zipped.write_bytes(buffer.getvalue())
    out = course_cli(course, "grade", ASSIGNMENT, "--submissions", str(zipped)).stdout
    assert "2026003: ERROR" in out and "not valid JSON" in out
    assert not (course / "submitted" / "2026003").exists(), "a broken member must not look handed in"

    lms = rows(reports(course) / "lms.csv")
    assert set(lms) == {"2026000", "2026001", "2026002", "2026003"}
    assert lms["2026000"]["total"] == lms["2026001"]["total"] == lms["2026002"]["total"] == "35"
    assert lms["2026001"]["name"] == "김민수"
    assert lms["2026002"]["name"] == "'" + evil_name, "a name that is a formula must be neutralised"
    assert lms["2026003"]["total"] == "" and "not valid JSON" in lms["2026003"]["status"]
    raw = (reports(course) / "lms.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and "김민수".encode() in raw
    grades = rows(reports(course) / "grades.csv", key="student", encoding="utf-8")
    assert grades["2026002"]["name"] == "'" + evil_name and grades["2026001"]["name"] == "김민수"

    # a later run from submitted/ (nothing new: resumed) leaves nothing of the broken member
    again = course_cli(course, "grade", ASSIGNMENT).stdout
    assert "2026003" not in again, "the broken member left nothing behind"
    # --student X keeps everyone else's rows and the zip's names
    only = course_cli(course, "grade", ASSIGNMENT, "--student", "2026001").stdout
    assert all(f"{s} " in only for s in ("2026000", "2026001", "2026002"))
    lms = rows(reports(course) / "lms.csv")
    assert {s: r["name"] for s, r in lms.items()} == {"2026000": "", "2026001": "김민수",
                                                       "2026002": "'" + evil_name, "2026003": "박지훈"}
    assert lms["2026003"]["status"] == "no submission"
    with Gradebook(db_url(course)) as gb:
        assert gb.find_student("2026001").last_name == "김민수"


def test_the_readme_says_what_each_lms_column_means(tmp_path):
    result = NotebookResult("s1", ASSIGNMENT, NOTEBOOK, {"q": CellScore("q", 1, 2, False)})
    with write_lms_csv([result], {"s1": ""}, tmp_path / "lms.csv").open(encoding="utf-8-sig") as f:
        header = next(csv.reader(f))
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for column in header:
        row = "| one column per notebook" if column == NOTEBOOK else f"| `{column}` |"
        assert row in readme, f"README.md does not say what the lms.csv column {column} means"
