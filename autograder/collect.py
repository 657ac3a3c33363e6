"""Find submissions: nbgrader's submitted/<student>/<assignment>/ folders, or an LMS zip.

An LMS export names each file by student: `<student id>_<name>_<notebook>.ipynb`
(the name may be Korean; a folder `<student id>_<name>/<notebook>.ipynb` works
too). Members that are junk are skipped with a note; members that try to
escape the target folder, or that are too big, are refused.
"""
from __future__ import annotations

import re
import unicodedata
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from .intake import MAX_NOTEBOOK_BYTES

MEMBER_RE = re.compile(r"^(?P<student>[0-9A-Za-z][0-9A-Za-z-]*)_(?P<name>[^_/]+)[_/](?P<file>[^/]+\.ipynb)$")
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
            match = MEMBER_RE.match(PurePosixPath(name).name) or MEMBER_RE.match(name)
            if not match:
                found.problems[name] = ("cannot tell whose notebook this is: expected "
                                        "<student id>_<name>_<notebook>.ipynb")
                continue
            student, notebook = match["student"], match["file"]
            if notebook not in notebooks:
                found.problems[student] = (f"{notebook} is not a notebook of {assignment} "
                                           f"(expected {', '.join(notebooks)})")
                _remember(found, student, match["name"])
                continue
            if info.file_size > MAX_NOTEBOOK_BYTES:
                found.problems[student] = f"{notebook} is {info.file_size >> 20} MB, over the limit"
                _remember(found, student, match["name"])
                continue
            target = root / "submitted" / student / assignment / notebook
            target.parent.mkdir(parents=True, exist_ok=True)
            with archive.open(info) as src:
                data = src.read(MAX_NOTEBOOK_BYTES + 1)
            target.write_bytes(data)
            _remember(found, student, match["name"])
    return found


def _remember(found: Collected, student: str, name: str) -> None:
    if student not in found.students:
        found.students.append(student)
    found.names[student] = name
