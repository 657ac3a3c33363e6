"""Where things live in a course directory (the repository root is one)."""
from __future__ import annotations

from pathlib import Path

LANGUAGES = ("ko", "en")
DEFAULT_LANGUAGE = "ko"


def find_course_root(start: Path | None = None) -> Path:
    """The nearest folder at or above `start` that holds nbgrader_config.py."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / "nbgrader_config.py").is_file():
            return folder
    raise FileNotFoundError(
        f"no nbgrader_config.py at or above {here}: run this from the course directory"
    )


def assignments(root: Path) -> list[str]:
    """Assignment ids, in course order (their folder names sort that way)."""
    return sorted(p.name for p in (root / "source").iterdir() if p.is_dir())


def source_notebooks(root: Path, assignment: str) -> list[Path]:
    return sorted((root / "source" / assignment).glob("*.ipynb"))


def release_dir(root: Path, lang: str) -> Path:
    return root / "release" / lang
