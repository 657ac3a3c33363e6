"""Intake, resume and restore: which notebooks of which students need a sandbox run, and as what."""
from __future__ import annotations

import copy
import hashlib
from dataclasses import dataclass
from pathlib import Path

import nbformat

from .. import datasets
from ..cells import MARK_SCHEME_BEGIN, is_autograded_test, split_hidden, without_mark_schemes
from ..layout import DEFAULT_LANGUAGE, release_dir
from . import gradebook
from .collect import Collected, from_folder, from_zip
from .intake import submission_problems
from .journal import Journal
from .outcomes import GradeRun, NotebookOutcome, Options


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def data_files(root: Path, assignment: str) -> tuple[tuple[str, bytes], ...]:
    """Files the notebooks read: the non-notebook files of source/<assignment>/ (nbgrader copies
    them too) but its data set manifest, and the data sets it declares (the sandbox has no network)."""
    folder = root / "source" / assignment
    files = {str(p.relative_to(folder)): p for p in sorted(folder.rglob("*"))
             if p.is_file() and p.suffix != ".ipynb" and ".ipynb_checkpoints" not in p.parts
             and p.relative_to(folder) != Path(datasets.MANIFEST)}
    files.update(datasets.external_files(root, assignment))
    return tuple((rel, path.read_bytes()) for rel, path in sorted(files.items()))


def collect(root: Path, assignment: str, submissions: Path | None, notebooks: list[str]) -> Collected:
    if submissions is None:
        return from_folder(root, assignment)
    if submissions.is_file():
        return from_zip(submissions, root, assignment, [f"{n}.ipynb" for n in notebooks])
    if submissions.resolve() != (root / "submitted").resolve():
        raise ValueError(f"{submissions}: give a zip file, or use the course's submitted/ folder")
    return from_folder(root, assignment)


@dataclass
class Planned:
    """One submission's notebook, restored and ready to send into a sandbox."""
    student: str
    notebook: str
    digest: str
    restored: object                 # as it must run: locked and test cells from the gradebook
    sent: object                     # restored, with every hidden-test region cut out
    hidden: tuple[tuple[int, str], ...]
    tampering: list[str]
    released: object = None          # the release notebook: what every student sees


def without_hidden_tests(nb):
    """(the notebook with each test cell's hidden region cut out, (index, full source) of those
    cells): what goes into the sandbox as a file, and what the executor receives over a pipe.

    The marking schemes of written answers are cut out too: they are for graders (formgrader shows
    them in the graded notebook, made from the restored one), and what goes into the sandbox is
    also what the student's feedback page is made from."""
    sent = copy.deepcopy(nb)
    hidden = []
    for index, cell in enumerate(sent.cells):
        if cell.cell_type == "markdown" and MARK_SCHEME_BEGIN in cell.source:
            cell.source = without_mark_schemes(cell.source)
        if cell.cell_type == "code" and is_autograded_test(cell):
            visible, secret = split_hidden(cell.source)
            if secret:
                hidden.append((index, cell.source))
                cell.source = visible
    return sent, tuple(hidden)


def plan(root: Path, assignment: str, notebooks: list[str], wanted: list[str], found: Collected,
          journal: Journal, options: Options, run: GradeRun) -> list[Planned]:
    """Intake, resume and restore: the notebooks that need a sandbox run."""
    planned: list[Planned] = []
    # locked cells are the same in every language's release
    releases = {n: nbformat.read(release_dir(root, DEFAULT_LANGUAGE) / assignment / f"{n}.ipynb", as_version=4)
                for n in notebooks}
    for student in wanted:
        folder = root / "submitted" / student / assignment
        handed_in = [n for n in notebooks if (folder / f"{n}.ipynb").is_file()]
        problems = submission_problems(folder, [f"{n}.ipynb" for n in handed_in or notebooks])
        if problems:
            run.rejected[student] = "; ".join([found.problems[student]] if student in found.problems
                                              else problems)
            continue
        if student in found.problems:
            run.notes.append(f"{student}: {found.problems[student]}")
        mine: list[Planned] = []
        for notebook in notebooks:
            path = folder / f"{notebook}.ipynb"
            if notebook not in handed_in:  # as nbgrader does: a notebook not handed in scores zero
                gradebook.write_scores(root, assignment, notebook, student, {}, releases[notebook])
                run.outcomes.append(NotebookOutcome(student, notebook, notes=[f"{notebook}.ipynb was not handed in"]))
                continue
            digest = _digest(path)
            entry = journal.finished(student, notebook, digest) if options.resume else None
            if entry:
                run.outcomes.append(NotebookOutcome(student, notebook, notes=entry.get("notes", []),
                                                    resumed=True, saved_flags=entry.get("flags", [])))
                continue
            try:
                original = nbformat.read(path, as_version=4)
                tampering = gradebook.tampering_notes(original, releases[notebook])
                restored = gradebook.restore_cells(root, original, assignment, notebook, student)
                sent, hidden = without_hidden_tests(restored)
            except Exception as err:  # metadata so broken nbgrader cannot restore it
                run.rejected[student] = f"{notebook}.ipynb cannot be restored from the gradebook: {err}"
                mine = []
                break
            mine.append(Planned(student, notebook, digest, restored, sent, hidden, tampering, releases[notebook]))
        planned += mine
    for problem_key, reason in found.problems.items():
        if problem_key not in wanted and problem_key not in run.rejected:
            run.rejected[problem_key] = reason
    return [p for p in planned if p.student not in run.rejected]
