"""Build the student release of an assignment, per language, with nbgrader's GenerateAssignment."""
from __future__ import annotations

from pathlib import Path

from autograder.layout import LANGUAGES, assignments, release_dir
from autograder.nbgrader_app import api, checked


def build_release(root: Path, assignment: str, lang: str) -> Path:
    """Write release/<lang>/<assignment>/ from source/<assignment>/ and update the gradebook.

    Every language run records the same graded cells, so the gradebook is the
    same whichever language is built last.
    """
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}; choose one of {', '.join(LANGUAGES)}")
    out = release_dir(root, lang)
    nbgrader = api(
        root,
        CourseDirectory={"release_directory": str(out.relative_to(root))},
        SelectLanguage={"lang": lang},
    )
    checked(nbgrader.generate_assignment(assignment, force=True, create=True),
            f"release of {assignment} ({lang})")
    return out / assignment


def build_all(root: Path, assignment: str | None = None, langs=LANGUAGES) -> list[Path]:
    todo = [assignment] if assignment else assignments(root)
    unknown = set(todo) - set(assignments(root))
    if unknown:
        raise ValueError(f"no such assignment under source/: {', '.join(sorted(unknown))}")
    return [build_release(root, a, lang) for a in todo for lang in langs]
