"""Find submissions: nbgrader's submitted/<student>/<assignment>/ folders, or an LMS zip.

An LMS export says whose file a member is in one of two layouts, and one rule decides:

- flat: `<student id>_<name>_<notebook>.ipynb` at the top of the zip: the file name says who;
- folder: `<student id>_<name>/<file>`: the folder, which the LMS made, says who. The file
  inside is `<notebook>.ipynb`, or `<same id>_<name>_<notebook>.ipynb`; a file whose name
  claims another student (a student uploading `<victim id>_..._probability.ipynb`) is refused.

Two members for one student and notebook are both refused and neither is written: the
instructor sees both names and decides. A member that is not a readable notebook (broken JSON,
empty, not nbformat 4: the intake checks) is refused before it is written, so it never sits in
submitted/ looking handed in. A student with a refused notebook has nothing written from the zip
(an earlier submission stays as it was). Junk is skipped with a note; members that try to escape
the target folder, or that are too big, are refused. Nothing is written until the whole zip has
been read, so a refused member never overwrites anything.
"""
from __future__ import annotations

import re
import unicodedata
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from .intake import MAX_NOTEBOOK_BYTES, data_problem

MEMBER_RE = re.compile(r"^(?P<student>[0-9A-Za-z][0-9A-Za-z-]*)_(?P<name>[^_/]+)_(?P<file>[^/]+\.ipynb)$")
FOLDER_RE = re.compile(r"^(?P<student>[0-9A-Za-z][0-9A-Za-z-]*)_(?P<name>[^_/]+)$")
JUNK = ("__MACOSX/", ".DS_Store", "Thumbs.db", ".ipynb_checkpoints/")
MAX_MEMBERS = 5000


@dataclass
class Collected:
    students: list[str] = field(default_factory=list)
    names: dict[str, str] = field(default_factory=dict)       # student id -> display name
    problems: dict[str, str] = field(default_factory=dict)    # student id or member -> reason
    notes: list[str] = field(default_factory=list)


def from_folder(root: Path, assignment: str) -> Collected:
    found = Collected()
    folder = root / "submitted"
    if folder.is_dir():
        found.students = sorted(p.name for p in folder.iterdir() if (p / assignment).is_dir())
    return found


def _unsafe(name: str) -> bool:
    path = PurePosixPath(name.replace("\\", "/"))
    return path.is_absolute() or ".." in path.parts or name.startswith(("/", "\\")) or ":" in path.parts[0]


def from_zip(zip_path: Path, root: Path, assignment: str, notebooks: list[str]) -> Collected:
    """Unpack an LMS zip into submitted/<student>/<assignment>/ and say what was skipped."""
    found = Collected()
    try:
        archive = zipfile.ZipFile(zip_path)
    except (zipfile.BadZipFile, OSError) as err:
        found.problems[zip_path.name] = f"not a readable zip file: {err}"
        return found
    with archive:
        members = archive.infolist()
        if len(members) > MAX_MEMBERS:
            found.problems[zip_path.name] = f"{len(members)} members: more than {MAX_MEMBERS}"
            return found
        claims: dict[tuple[str, str], list[zipfile.ZipInfo]] = {}
        for info in members:
            name = unicodedata.normalize("NFC", info.filename)
            if info.is_dir():
                continue
            if _unsafe(name):
                found.problems[name] = "refused: the path leaves the submission folder"
                continue
            if any(j in name for j in JUNK) or not name.endswith(".ipynb"):
                found.notes.append(f"skipped {name}: not a notebook")
                continue
            owner = _owner(name)
            if isinstance(owner, str):
                found.problems[name] = owner
                continue
            student, display, notebook = owner
            if notebook not in notebooks:
                _problem(found, student, f"{notebook} is not a notebook of {assignment} "
                                         f"(expected {', '.join(notebooks)})")
                _remember(found, student, display)
                continue
            if info.file_size > MAX_NOTEBOOK_BYTES:
                _problem(found, student, f"{notebook} is {info.file_size >> 20} MB, over the limit")
                _remember(found, student, display)
                continue
            claims.setdefault((student, notebook), []).append(info)
            _remember(found, student, display)
        taken: dict[tuple[str, str], bytes] = {}
        held: set[str] = set()      # students with a refused notebook: nothing of theirs is written
        for (student, notebook), infos in claims.items():
            if len(infos) > 1:
                names = ", ".join(unicodedata.normalize("NFC", i.filename) for i in infos)
                _problem(found, student, f"{len(infos)} files in the zip are {student}'s {notebook} "
                                         f"({names}): none was taken; keep one and grade again")
                held.add(student)
                continue
            with archive.open(infos[0]) as src:
                data = src.read(MAX_NOTEBOOK_BYTES + 1)
            problem = data_problem(notebook, data)
            if problem:   # never written: a broken file in submitted/ would look handed in forever
                _problem(found, student, f"{unicodedata.normalize('NFC', infos[0].filename)}: {problem}")
                held.add(student)
                continue
            taken[(student, notebook)] = data
        for student in sorted(held):
            earlier = (root / "submitted" / student / assignment).is_dir()
            _problem(found, student, "nothing of theirs was taken from this zip"
                     + (", the notebooks already in submitted/ are kept" if earlier else ""))
        for (student, notebook), data in taken.items():
            if student not in held:
                target = root / "submitted" / student / assignment / notebook
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(data)
    return found


def _owner(name: str) -> tuple[str, str, str] | str:
    """(student id, display name, notebook file) of a member by the one rule, or why not."""
    path = PurePosixPath(name)
    if len(path.parts) == 1:
        match = MEMBER_RE.match(path.name)
        if not match:
            return "cannot tell whose notebook this is: expected <student id>_<name>_<notebook>.ipynb"
        return match["student"], match["name"], match["file"]
    folder = FOLDER_RE.match(path.parts[-2]) if len(path.parts) >= 2 else None
    if not folder:
        return ("cannot tell whose notebook this is: expected a folder <student id>_<name>/ "
                "holding <notebook>.ipynb")
    inner = MEMBER_RE.match(path.name)
    if inner and (inner["student"], inner["name"]) != (folder["student"], folder["name"]):
        return (f"refused: the file name says {inner['student']}, the folder it is in says "
                f"{folder['student']}")
    return folder["student"], folder["name"], inner["file"] if inner else path.name


def _problem(found: Collected, student: str, reason: str) -> None:
    """Add a reason to what is wrong with a student's part of the zip (all of them are shown)."""
    found.problems[student] = f"{found.problems[student]}; {reason}" if student in found.problems else reason


def _remember(found: Collected, student: str, name: str) -> None:
    if student not in found.students:
        found.students.append(student)
    found.names[student] = name
