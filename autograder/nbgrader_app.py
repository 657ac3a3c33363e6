"""nbgrader, driven in-process with this course's own configuration (nbgrader_config.py)."""
from __future__ import annotations

import functools
import os
import sys
from pathlib import Path

from nbgrader.api import Comment, Grade, Gradebook
from nbgrader.apps import NbGraderAPI
from sqlalchemy.orm import selectinload
from traitlets.config import Config
from traitlets.config.loader import PyFileConfigLoader


def ensure_tools_on_path() -> None:
    """nbgrader runs `alembic` and `jupyter` as subprocesses: find them next to this Python.

    `.venv/bin/course ...` works without activating the venv, so its bin folder
    may be missing from PATH.
    """
    bin_dir = str(Path(sys.executable).parent)
    if bin_dir not in os.environ.get("PATH", "").split(os.pathsep):
        os.environ["PATH"] = bin_dir + os.pathsep + os.environ.get("PATH", "")


def course_config(root: Path, **overrides: dict) -> Config:
    """nbgrader_config.py of `root`, with the course root pinned and `overrides` merged.

    overrides maps a configurable class name to its traits, e.g.
    course_config(root, SelectLanguage={"lang": "en"}).
    """
    config = PyFileConfigLoader("nbgrader_config.py", path=str(root)).load_config()
    config.CourseDirectory.root = str(root)
    extra = Config()
    for section, traits in overrides.items():
        for name, value in traits.items():
            extra[section][name] = value
    config.merge(extra)
    return config


@functools.cache
def cached_config(root: Path) -> Config:
    """The course's configuration without overrides, read once per process (the coordinator
    needs it for every notebook it restores)."""
    return course_config(root)


def cell_timeout(root: Path) -> float:
    """The per-cell limit of the course, in seconds: Execute.timeout of nbgrader_config.py (nbgrader's
    own default where the file sets none). It is the one place the limit is set; `course grade`
    counts it in CPU seconds (autograder/kernel/executor.py), `--stock` nbgrader in wall seconds."""
    from nbgrader.preprocessors import Execute
    from traitlets import TraitError
    try:
        value = Execute(config=cached_config(root)).timeout
    except TraitError as err:
        raise ValueError(f"{root / 'nbgrader_config.py'}: Execute.timeout must be a whole number of seconds "
                         f"({err})") from None
    if value is None or value <= 0:
        raise ValueError(f"{root / 'nbgrader_config.py'}: Execute.timeout must be a positive number of seconds, "
                         f"got {value!r}")
    return float(value)


def db_url(root: Path) -> str:
    """The gradebook's SQLAlchemy URL, from nbgrader_config.py (`c.CourseDirectory.db_url`), as
    nbgrader, formgrader and `nbgrader export` read it: a shared PostgreSQL database
    (postgresql://...) for a course with several graders, else the SQLite file in the course."""
    return cached_config(root).CourseDirectory.get("db_url") or f"sqlite:///{root / 'gradebook.db'}"


def open_gradebook(root: Path) -> Gradebook:
    """The course's gradebook, opened as nbgrader's own apps open it (its db_url, its course id);
    use it as a context manager. The first open of an empty database creates the tables and runs
    `alembic`, so the tools must be on PATH."""
    ensure_tools_on_path()
    return Gradebook(db_url(root), cached_config(root).CourseDirectory.get("course_id") or "")


def grades_and_comments(gb: Gradebook, submission) -> tuple[list[Grade], list[Comment]]:
    """A submitted notebook's grades and comments, each with the cell it belongs to (whose name and
    points they read), in one query each. `submission.grades` loads every grade's cell on its own
    when it is first read: a hundred statements a notebook, the most of a gradebook write."""
    grades = gb.db.query(Grade).filter(Grade.notebook_id == submission.id).options(selectinload(Grade.cell)).all()
    comments = (gb.db.query(Comment).filter(Comment.notebook_id == submission.id)
                .options(selectinload(Comment.cell)).all())
    return grades, comments


def api(root: Path, **overrides: dict) -> NbGraderAPI:
    ensure_tools_on_path()
    return NbGraderAPI(config=course_config(root, **overrides))


class NbgraderError(RuntimeError):
    """An nbgrader step reported failure; the message carries its log."""


def checked(result: dict, what: str) -> dict:
    """Raise with nbgrader's own log when an API call did not succeed."""
    if not result.get("success"):
        log = (result.get("log") or "").strip()
        error = (result.get("error") or "").strip()
        raise NbgraderError(f"{what} failed:\n{error}\n{log}".rstrip())
    return result
