"""`course new`: a new assignment's skeleton passes `course check`, builds its release, and grades
as its own example students, mutant and variant say, through the real CLI and the real grader.
It refuses malformed and existing names without writing anything."""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from autograder.grading import Options, grade
from course.check import check_notebook
from course.scaffold import ScaffoldError, create_assignment
from course.specs import catalogue, submit

ROOT = Path(__file__).resolve().parents[1]
ASSIGNMENT = "05_scaffold_check"
NOTEBOOK = "scaffold_check"   # derived from the assignment's name
WRITTEN = [
    f"source/{ASSIGNMENT}/{NOTEBOOK}.ipynb",
    f"examples/{ASSIGNMENT}/{NOTEBOOK}/all_correct.py",
    f"examples/{ASSIGNMENT}/{NOTEBOOK}/blank.py",
    f"tests/submissions/{ASSIGNMENT}/{NOTEBOOK}/mutants/no_input_checks.py",
    f"tests/submissions/{ASSIGNMENT}/{NOTEBOOK}/variants/numpy_array.py",
]


def course_cli(course: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "course.cli", *args], cwd=course,
                          capture_output=True, text=True, timeout=600)


def tree(root: Path) -> dict[str, bytes]:
    """Every file under root (and every folder, as None), to prove that nothing was written."""
    return {str(p.relative_to(root)): (p.read_bytes() if p.is_file() else None) for p in root.rglob("*")}


@pytest.fixture
def small_course(tmp_path) -> Path:
    """A course folder with the configuration and one existing assignment, nothing built."""
    course = tmp_path / "course"
    (course / "source").mkdir(parents=True)
    shutil.copy2(ROOT / "nbgrader_config.py", course)
    shutil.copytree(ROOT / "source" / "01_probability", course / "source" / "01_probability")
    return course


def test_new_writes_a_skeleton_that_passes_the_source_rules(small_course):
    run = course_cli(small_course, "new", ASSIGNMENT)
    assert run.returncode == 0, run.stdout + run.stderr
    for path in WRITTEN:
        assert (small_course / path).is_file(), path
        assert path in run.stdout
    assert check_notebook(small_course / WRITTEN[0]) == []


def test_new_takes_a_notebook_name(small_course):
    create_assignment(small_course, "06_more_probability", "conditionals")
    assert check_notebook(small_course / "source" / "06_more_probability" / "conditionals.ipynb") == []
    assert (small_course / "examples" / "06_more_probability" / "conditionals" / "blank.py").is_file()


BAD_NAMES = [("5_short_number", None), ("005_long_number", None), ("05", None), ("05_", None),
             ("05_Capital", None), ("05-dashes", None), ("05_two__underscores", None), ("05_trailing_", None),
             ("scaffold_check", None), ("05_ok", "Bad-Name"), ("05_ok", "name.ipynb"), ("05_ok", "../escape")]


def test_new_refuses_a_malformed_name_and_writes_nothing(small_course):
    before = tree(small_course)
    for assignment, notebook in BAD_NAMES:
        with pytest.raises(ScaffoldError, match="name"):
            create_assignment(small_course, assignment, notebook)
    # through the command line: a message, exit code 2, no traceback
    run = course_cli(small_course, "new", "05-dashes")
    assert run.returncode == 2, run.stdout + run.stderr
    assert run.stderr.startswith("course: assignment name '05-dashes'"), run.stderr
    assert "Traceback" not in run.stderr
    assert tree(small_course) == before


def test_new_refuses_an_existing_assignment_or_notebook_and_writes_nothing(small_course):
    before = tree(small_course)
    for notebook in ("probability", "another_notebook", None):
        with pytest.raises(ScaffoldError, match="already exists"):
            create_assignment(small_course, "01_probability", notebook)
    assert tree(small_course) == before

    create_assignment(small_course, ASSIGNMENT)
    created = tree(small_course)
    run = course_cli(small_course, "new", ASSIGNMENT)   # the command line: a message and exit code 2
    assert run.returncode == 2, run.stdout + run.stderr
    assert run.stderr.startswith(f"course: {ASSIGNMENT}/{NOTEBOOK} already exists"), run.stderr
    assert tree(small_course) == created

    # a notebook's examples or release left behind without its source: refused too, nothing overwritten
    for leftover in (small_course / "examples" / "06_leftover" / "leftover",
                     small_course / "release" / "en" / "07_leftover"):
        leftover.mkdir(parents=True)
        (leftover / "stale.py").write_text("# base: solution\n# expect: full\n", encoding="utf-8")
    before = tree(small_course)
    with pytest.raises(ScaffoldError, match="examples/06_leftover/leftover"):
        create_assignment(small_course, "06_leftover")
    with pytest.raises(ScaffoldError, match="release/en/07_leftover"):
        create_assignment(small_course, "07_leftover")
    assert tree(small_course) == before


@pytest.mark.slow
def test_new_assignment_checks_releases_and_grades_as_its_specs_say(fresh_course):
    course = fresh_course
    run = course_cli(course, "new", ASSIGNMENT)
    assert run.returncode == 0, run.stdout + run.stderr

    # before its release is built, the release is the only thing `course check` misses
    run = course_cli(course, "check", ASSIGNMENT)
    assert run.returncode == 1
    problems = [line for line in run.stdout.splitlines() if line.startswith(("source/", "release/"))]
    assert problems and all(line.endswith("release is missing: run `course release`") for line in problems), \
        run.stdout
    run = course_cli(course, "release", ASSIGNMENT)
    assert run.returncode == 0, run.stdout + run.stderr
    for lang in ("ko", "en"):
        assert (course / "release" / lang / ASSIGNMENT / f"{NOTEBOOK}.ipynb").is_file()
    # every rule of `course check` is a rule on one assignment's notebooks: checking the new one is
    # the whole check of what changed (test_check.py checks the rest of the course)
    run = course_cli(course, "check", ASSIGNMENT)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "all notebooks pass the checks" in run.stdout

    students = {}
    for kind, stem, spec in catalogue(course, ASSIGNMENT):
        student = f"{kind}-{spec.name}"
        submit(course, spec, ASSIGNMENT, stem, student)
        students[student] = (kind, spec)
    assert set(students) == {"samples-all_correct", "samples-blank", "mutants-no_input_checks",
                             "variants-numpy_array"}

    graded = grade(course, ASSIGNMENT, options=Options(progress=False))
    assert graded.reference_problems == [], graded.reference_problems
    assert not graded.rejected, graded.rejected
    verdicts = {o.student: o.verdicts for o in graded.outcomes}
    assert set(verdicts) == set(students)
    cells = {"test_normalize_visible", "test_normalize_hidden"}
    for student, found in verdicts.items():
        assert set(found) == cells, (student, sorted(found))

    def lost(student):
        return sorted(g for g, v in verdicts[student].items() if not v.trusted_passed)

    assert lost("samples-all_correct") == [], verdicts["samples-all_correct"]
    assert lost("variants-numpy_array") == [], verdicts["variants-numpy_array"]
    assert sum(v.max_points for v in verdicts["samples-all_correct"].values()) == 5
    assert sum(v.score for v in verdicts["samples-blank"].values()) == 0, verdicts["samples-blank"]
    assert lost("mutants-no_input_checks") == ["test_normalize_hidden"], verdicts["mutants-no_input_checks"]
    # and every spec's own header says the same
    for student, (_, spec) in students.items():
        for gid in spec.expect_fail:
            assert not verdicts[student][gid].trusted_passed, (student, gid)
        for gid in spec.expect_keep:
            assert verdicts[student][gid].trusted_passed, (student, gid)
        if spec.expect_full:
            assert lost(student) == [], student
