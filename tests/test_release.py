"""The committed release is exactly what `course release` builds, in both languages."""
from __future__ import annotations

import filecmp
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from autograder.layout import LANGUAGES, assignments
from course.language import cell_language

ROOT = Path(__file__).resolve().parents[1]


def tree_files(folder: Path) -> set[str]:
    return {str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file()}


@pytest.mark.slow
def test_committed_release_matches_a_fresh_build(course_template):
    """course_template built its release from the committed source with `build_all`."""
    for lang in LANGUAGES:
        committed, fresh = ROOT / "release" / lang, course_template / "release" / lang
        assert tree_files(committed) == tree_files(fresh), f"release/{lang}: files differ; run `course release`"
        for rel in sorted(tree_files(fresh)):
            assert filecmp.cmp(committed / rel, fresh / rel, shallow=False), (
                f"release/{lang}/{rel} differs from a fresh build: run `course release` and commit")


def graded_view(nb):
    """What grading depends on: every nbgrader cell's id, type, source and checksum."""
    return [(c.metadata.nbgrader.get("grade_id"), c.cell_type, c.source,
             c.metadata.nbgrader.get("checksum"))
            for c in nb.cells if "nbgrader" in c.metadata]


@pytest.mark.parametrize("assignment", assignments(ROOT))
def test_languages_share_every_graded_cell(assignment):
    for path in sorted((ROOT / "release" / "ko" / assignment).glob("*.ipynb")):
        ko = nbformat.read(path, as_version=4)
        en = nbformat.read(ROOT / "release" / "en" / assignment / path.name, as_version=4)
        assert graded_view(ko) == graded_view(en)
        assert [c.source for c in ko.cells if c.cell_type == "code"] == \
               [c.source for c in en.cells if c.cell_type == "code"]
        for lang, nb in (("ko", ko), ("en", en)):
            langs = {cell_language(c) for c in nb.cells} - {None}
            assert langs == {lang}, f"{lang} release of {path.name} holds narrative in {langs}"


@pytest.mark.slow
def test_release_cli_rebuilds_one_language(fresh_course):
    course_copy = fresh_course
    target = course_copy / "release" / "en"
    before = {p: p.read_bytes() for p in target.rglob("*.ipynb")}
    run = subprocess.run([sys.executable, "-m", "course.cli", "release", "--lang", "en"],
                         cwd=course_copy, capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert "wrote" in run.stdout
    assert {p: p.read_bytes() for p in target.rglob("*.ipynb")} == before


@pytest.mark.slow
def test_unknown_assignment_is_a_clear_error(fresh_course):
    course_copy = fresh_course
    run = subprocess.run([sys.executable, "-m", "course.cli", "release", "99_nothing"],
                         cwd=course_copy, capture_output=True, text=True)
    assert run.returncode == 2
    assert "no such assignment" in run.stderr
