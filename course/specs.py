"""Submission specs: a student submission written as edits to the release notebook.

The mutant catalogue, the correct variants, the sample submissions and the demo's
example students are all specs, so one builder turns every one of them into the
notebook a student would hand in. A spec file looks like this:

    \"\"\"Sum instead of product in chain_rule.\"\"\"
    # base: solution
    # expect: fail test_chain_rule_hidden
    # transform: delete test_bayes_theorem_hidden
    # %% chain_rule
    def chain_rule(probabilities):
        ...

- base: `solution` fills every solution cell not replaced below with the reference
  answer; `release` leaves it as released (a stub that raises NotImplementedError).
- expect: `full` (every autograded cell keeps full points) or `fail ID ...` (each named
  test cell must lose points).
- keep: `ID ...`: these test cells must keep full points (an attack on a later cell must
  not cost the student what they earned before it).
- transform: `delete ID` removes a cell, `strip-metadata ID` removes its nbgrader
  metadata, `edit ID` appends a line to a locked cell, `points ID` claims 100 points in
  its metadata: what a careless or dishonest student might do to a notebook.
- `# %% ID` starts the replacement source of the cell with that grade id.
"""
from __future__ import annotations

import copy
import functools
import re
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from autograder.cells import grade_id
from autograder.layout import release_dir, source_notebooks

# Where a course keeps its specs: example students (the demo's, and the catalogue's samples)
# beside the notebooks' folders, and the mutants, variants and attacks that prove the hidden tests.
EXAMPLES = "examples"
CATALOGUE = Path("tests") / "submissions"
KINDS = ("samples", "mutants", "variants", "attacks")
HEADER_RE = re.compile(r"^# (base|expect|keep|transform|lang):\s*(.+?)\s*$")
CELL_RE = re.compile(r"^# %% ([A-Za-z0-9_-]+)\s*$")
SOLUTION_MARKERS = ("### BEGIN SOLUTION", "### END SOLUTION")
TRANSFORMS = ("delete", "strip-metadata", "edit", "points")


class SpecError(ValueError):
    """A spec file that cannot be applied; the message names the file and the problem."""


@dataclass
class SubmissionSpec:
    name: str
    summary: str = ""
    base: str = "solution"
    expect_full: bool = False
    expect_fail: list[str] = field(default_factory=list)
    expect_keep: list[str] = field(default_factory=list)   # cells that must keep full points
    transforms: list[tuple[str, str]] = field(default_factory=list)
    replacements: dict[str, str] = field(default_factory=dict)
    lang: str = "ko"


def parse_spec(text: str, name: str) -> SubmissionSpec:
    spec = SubmissionSpec(name=name)
    doc = re.match(r'^\s*"""(.*?)"""\s*\n', text, re.S)
    if doc:
        spec.summary = " ".join(doc.group(1).split())
        text = text[doc.end():]
    current: str | None = None
    body: list[str] = []

    def flush():
        if current is not None:
            spec.replacements[current] = "\n".join(body).strip("\n")

    for line in text.splitlines():
        cell = CELL_RE.match(line)
        if cell:
            flush()
            current, body = cell.group(1), []
            continue
        header = HEADER_RE.match(line) if current is None else None
        if header:
            _apply_header(spec, header.group(1), header.group(2), name)
        elif current is not None:
            body.append(line)
        elif line.strip() and not line.startswith("#"):
            raise SpecError(f"{name}: code before the first '# %% <grade_id>' line: {line!r}")
    flush()
    if spec.expect_full and spec.expect_fail:
        raise SpecError(f"{name}: expects both full points and failures")
    return spec


def _apply_header(spec: SubmissionSpec, key: str, value: str, name: str) -> None:
    if key == "base":
        if value not in ("solution", "release"):
            raise SpecError(f"{name}: base must be 'solution' or 'release', not {value!r}")
        spec.base = value
    elif key == "expect":
        words = value.split()
        if words == ["full"]:
            spec.expect_full = True
        elif words[0] == "fail" and len(words) > 1:
            spec.expect_fail += words[1:]
        else:
            raise SpecError(f"{name}: expect must be 'full' or 'fail <grade_id> ...', not {value!r}")
    elif key == "keep":
        spec.expect_keep += value.split()
    elif key == "transform":
        words = value.split()
        if len(words) != 2 or words[0] not in TRANSFORMS:
            raise SpecError(f"{name}: transform must be one of {TRANSFORMS} and a grade id, not {value!r}")
        spec.transforms.append((words[0], words[1]))
    elif key == "lang":
        spec.lang = value


def load_spec(path: Path) -> SubmissionSpec:
    return parse_spec(path.read_text(encoding="utf-8"), path.stem)


def load_specs(folder: Path) -> list[SubmissionSpec]:
    return [load_spec(p) for p in sorted(folder.glob("*.py"))]


def reference_answer(source_cell) -> str:
    """A solution cell's content as its author wrote it, markers removed."""
    return "\n".join(line for line in source_cell.source.splitlines()
                     if line.strip() not in SOLUTION_MARKERS)


def build_submission(spec: SubmissionSpec, source_nb, release_nb):
    """The notebook a student following `spec` would hand in."""
    nb = copy.deepcopy(release_nb)
    source_cells = {grade_id(c): c for c in source_nb.cells if grade_id(c)}
    released = {grade_id(c) for c in nb.cells if grade_id(c)}
    unknown = set(spec.replacements) - released
    if unknown:
        raise SpecError(f"{spec.name}: no cell with grade id {', '.join(sorted(unknown))} in the release")
    for cell in nb.cells:
        gid = grade_id(cell)
        if gid in spec.replacements:
            cell.source = spec.replacements[gid]
        elif gid and spec.base == "solution" and cell.metadata["nbgrader"].get("solution"):
            cell.source = reference_answer(source_cells[gid])
    for action, gid in spec.transforms:
        _transform(nb, action, gid, spec.name)
    return nb


def _transform(nb, action: str, gid: str, name: str) -> None:
    matches = [i for i, c in enumerate(nb.cells) if grade_id(c) == gid]
    if not matches:
        raise SpecError(f"{name}: transform names {gid!r}, which is not in the notebook")
    i = matches[0]
    if action == "delete":
        del nb.cells[i]
    elif action == "strip-metadata":
        del nb.cells[i].metadata["nbgrader"]
    elif action == "edit":
        nb.cells[i].source += "\nprint('edited by the student')"
    elif action == "points":
        nb.cells[i].metadata["nbgrader"]["points"] = 100


def write_submission(nb, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, path)
    return path


def spec_folder(root: Path, assignment: str, notebook: str, kind: str) -> Path:
    """examples/<assignment>/<notebook>/ for samples; tests/submissions/<assignment>/<notebook>/<kind>/ else."""
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS}, got {kind!r}")
    if kind == "samples":
        return Path(root) / EXAMPLES / assignment / notebook
    return Path(root) / CATALOGUE / assignment / notebook / kind


def catalogue(root: Path, assignment: str, kinds=("samples", "mutants", "variants")):
    """(kind, notebook stem, spec) for every spec of the assignment's notebooks, in order."""
    return [(kind, source.stem, spec) for source in source_notebooks(root, assignment) for kind in kinds
            for spec in load_specs(spec_folder(root, assignment, source.stem, kind))]


@functools.lru_cache(maxsize=64)
def _notebook(path: Path, mtime_ns: int):
    return nbformat.read(path, as_version=4)   # build_submission copies it: callers never change it


def _read(path: Path):
    return _notebook(path, path.stat().st_mtime_ns)


def submit(root: Path, spec: SubmissionSpec, assignment: str, notebook: str, student: str) -> Path:
    """Hand in `spec` as `student`'s copy of notebook (a stem): built from the course's source
    notebook and its release in the spec's language, written to submitted/<student>/<assignment>/."""
    source_nb = _read(root / "source" / assignment / f"{notebook}.ipynb")
    release_nb = _read(release_dir(root, spec.lang) / assignment / f"{notebook}.ipynb")
    return write_submission(build_submission(spec, source_nb, release_nb),
                            root / "submitted" / student / assignment / f"{notebook}.ipynb")
