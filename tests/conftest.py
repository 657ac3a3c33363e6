"""Shared fixtures: a throwaway course folder, and the whole submission catalogue graded once."""
from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pytest

from autograder.batch import grade_assignment
from autograder.specs import build_submission, load_specs, write_submission
from course.demo import prepare_course_copy
from course.paths import release_dir
from course.release import build_all

ROOT = Path(__file__).resolve().parents[1]
SUBMISSIONS = ROOT / "tests" / "submissions"
GOLDENS = ROOT / "tests" / "goldens"
KINDS = ("samples", "mutants", "variants")


def pytest_addoption(parser):
    parser.addoption("--update-goldens", action="store_true",
                     help="rewrite tests/goldens/*.json from the current grading results")


def catalogue(assignment: str):
    """(kind, notebook stem, spec) for every spec of an assignment."""
    found = []
    for notebook_dir in sorted((SUBMISSIONS / assignment).iterdir()):
        for kind in KINDS:
            for spec in load_specs(notebook_dir / kind):
                found.append((kind, notebook_dir.name, spec))
    return found


def student_id(kind: str, spec) -> str:
    return f"{kind}-{spec.name}"


@pytest.fixture(scope="session")
def course_copy(tmp_path_factory) -> Path:
    """A course folder with this course's config and sources, release and gradebook built."""
    workdir = prepare_course_copy(ROOT, tmp_path_factory.mktemp("course") / "course")
    build_all(workdir)
    return workdir


def submit_catalogue(course: Path, assignment: str) -> list[str]:
    students = []
    for kind, stem, spec in catalogue(assignment):
        source_nb = nbformat.read(course / "source" / assignment / f"{stem}.ipynb", as_version=4)
        release_nb = nbformat.read(release_dir(course, spec.lang) / assignment / f"{stem}.ipynb", as_version=4)
        student = student_id(kind, spec)
        write_submission(build_submission(spec, source_nb, release_nb),
                         course / "submitted" / student / assignment / f"{stem}.ipynb")
        students.append(student)
    return students


@pytest.fixture(scope="session")
def graded_probability(course_copy):
    """Every sample, mutant and variant of 01_probability, graded by real nbgrader."""
    students = submit_catalogue(course_copy, "01_probability")
    batch = grade_assignment(course_copy, "01_probability", students)
    return {r.student: r for r in batch.results}, batch


def load_goldens(assignment: str) -> dict:
    path = GOLDENS / f"{assignment}.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


def save_goldens(assignment: str, goldens: dict) -> None:
    GOLDENS.mkdir(exist_ok=True)
    (GOLDENS / f"{assignment}.json").write_text(
        json.dumps(goldens, indent=2, ensure_ascii=False, sort_keys=True) + "\n", encoding="utf-8")
