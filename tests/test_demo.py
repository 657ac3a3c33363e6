"""The README's first command ends in `course demo`: it must print the graded summary."""
import csv
import re
import subprocess
import sys

import pytest


@pytest.mark.slow
def test_demo_grades_examples_end_to_end(tmp_path, fresh_course):
    course_copy = fresh_course
    workdir = tmp_path / "demo"
    # run from a course copy (with its examples/) so the committed release/ of the repo is not rewritten
    run = subprocess.run([sys.executable, "-m", "course.cli", "demo", "--workdir", str(workdir)],
                         cwd=course_copy, capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    out = run.stdout
    for student in ("s01_all_correct", "s02_partly_wrong", "s03_crashing", "s04_blank", "s05_english_release"):
        assert student in out
    assert "SANDBOX FALLBACK" not in out, "CI has bubblewrap: the demo must not fall back"
    # no false alarm: a flag on an example student would be the first thing a newcomer sees wrong
    counts = re.findall(r"^(\d+) flag\(s\) for the instructor", out, re.M)
    assert counts and set(counts) == {"0"}, out[-4000:]
    reports = workdir / "reports" / "01_probability"
    rows = {r["student"]: r for r in csv.DictReader(open(reports / "grades.csv"))}
    full = float(rows["s01_all_correct"]["auto_max"])
    assert float(rows["s01_all_correct"]["auto_score"]) == full
    assert float(rows["s05_english_release"]["auto_score"]) == full
    assert 0 < float(rows["s02_partly_wrong"]["auto_score"]) < full
    assert float(rows["s03_crashing"]["auto_score"]) < full
    assert float(rows["s04_blank"]["auto_score"]) == 0
    assert (reports / "lms.csv").is_file() and (reports / "report.html").is_file()
    assert (workdir / "feedback" / "s01_all_correct" / "01_probability" / "probability.html").is_file()
    # every assignment is graded, and its example students land where they should in every notebook
    from autograder.layout import assignments, source_notebooks
    for assignment in assignments(course_copy):
        table = list(csv.DictReader(open(workdir / "reports" / assignment / "grades.csv", encoding="utf-8-sig")))
        graded = {(r["student"], r["notebook"]): r for r in table}
        for notebook in (p.stem for p in source_notebooks(course_copy, assignment)):
            for student in ("s01_all_correct", "s05_english_release"):
                row = graded[(student, notebook)]
                assert float(row["auto_score"]) == float(row["auto_max"]) > 0, (assignment, row)
            assert float(graded[("s04_blank", notebook)]["auto_score"]) == 0, (assignment, notebook)
