"""A two-question course built in a temp folder, for testing grading mechanics quickly."""
from __future__ import annotations

import shutil
from pathlib import Path

import nbformat

from autograder.cells import grade_id
from course.release import build_all

ROOT = Path(__file__).resolve().parents[1]


def cell_meta(grade_id, grade=False, solution=False, locked=False, points=None):
    """nbgrader metadata (schema 3) for a test notebook's cell."""
    meta = {"grade": grade, "solution": solution, "locked": locked, "grade_id": grade_id,
            "schema_version": 3}
    if points is not None:
        meta["points"] = points
    return {"nbgrader": meta}


SETUP = "from autograder.kernel.evidence import outcome, probe_rng, record\nimport os, time"
DOUBLE = "def double(x):\n    ### BEGIN SOLUTION\n    return 2 * x\n    ### END SOLUTION"
TEST_DOUBLE = """assert double(2) == 4, "double(2) should be 4"
record("double_example", double(2))
### BEGIN HIDDEN TESTS
rng = probe_rng("double")
for x in rng.integers(-1000, 1000, size=10).tolist():
    record("double_probe", double(x))
### END HIDDEN TESTS"""
SQUARE = "def square(x):\n    ### BEGIN SOLUTION\n    return x * x\n    ### END SOLUTION"
TEST_SQUARE = """record("square_example", square(3))
assert square(3) == 9
### BEGIN HIDDEN TESTS
for x in probe_rng("square").uniform(-5, 5, size=10).tolist():
    record("square_probe", square(x))
record("square_text", outcome(square, "a"))
### END HIDDEN TESTS"""


def toy_source():
    cells = [
        nbformat.v4.new_markdown_cell("# 연습", metadata={"tags": ["lang:ko"]}),
        nbformat.v4.new_markdown_cell("# Practice", metadata={"tags": ["lang:en"]}),
        nbformat.v4.new_code_cell(SETUP, metadata=cell_meta("setup_imports", locked=True)),
        nbformat.v4.new_code_cell(DOUBLE, metadata=cell_meta("double", solution=True)),
        nbformat.v4.new_code_cell(TEST_DOUBLE, metadata=cell_meta("test_double_values", True, False, True, 3)),
        nbformat.v4.new_code_cell(SQUARE, metadata=cell_meta("square", solution=True)),
        nbformat.v4.new_code_cell(TEST_SQUARE, metadata=cell_meta("test_square_values", True, False, True, 2)),
    ]
    for i, cell in enumerate(cells):
        cell.id = f"cell{i}-toy"
    nb = nbformat.v4.new_notebook(cells=cells)
    nb.metadata.kernelspec = {"name": "python3", "display_name": "Python 3", "language": "python"}
    return nb


def make_toy_course(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy2(ROOT / "nbgrader_config.py", folder / "nbgrader_config.py")
    (folder / "source" / "toy").mkdir(parents=True)
    nbformat.write(toy_source(), folder / "source" / "toy" / "toy.ipynb")
    build_all(folder)
    return folder


def submit(course: Path, student: str, double_body: str = "return 2 * x",
           square_body: str = "return x * x", extra: str = "") -> Path:
    nb = nbformat.read(course / "release" / "ko" / "toy" / "toy.ipynb", as_version=4)
    for cell in nb.cells:
        gid = grade_id(cell)
        if gid == "double":
            cell.source = f"{extra}\ndef double(x):\n    {double_body}"
        elif gid == "square":
            cell.source = f"def square(x):\n    {square_body}"
    path = course / "submitted" / student / "toy" / "toy.ipynb"
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, path)
    return path
