"""One source notebook, two languages.

Narrative markdown cells come in consecutive pairs tagged `lang:ko` and `lang:en`;
every other cell is shared. SelectLanguage keeps the shared cells and the chosen
language's narrative. It runs first in nbgrader's GenerateAssignment chain (see
nbgrader_config.py), so the graded cells, and therefore their checksums and the
gradebook, are the same whichever language a student received.
"""
from __future__ import annotations

from nbgrader.preprocessors import NbGraderPreprocessor
from traitlets import Unicode

from autograder.layout import DEFAULT_LANGUAGE, LANGUAGES

TAG_PREFIX = "lang:"


def cell_language(cell) -> str | None:
    """The language a cell is written for, or None for a shared cell."""
    langs = [t[len(TAG_PREFIX):] for t in cell.get("metadata", {}).get("tags", [])
             if t.startswith(TAG_PREFIX)]
    if len(langs) > 1:
        raise ValueError(f"cell {cell.get('id')!r} has several language tags: {langs}")
    return langs[0] if langs else None


def select_language(nb, lang: str):
    """Drop the narrative cells written for other languages (in place) and return nb."""
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}; choose one of {', '.join(LANGUAGES)}")
    nb.cells = [c for c in nb.cells if cell_language(c) in (None, lang)]
    nb.metadata["language"] = lang
    return nb


class SelectLanguage(NbGraderPreprocessor):
    """nbgrader preprocessor: keep one language's narrative cells."""

    lang = Unicode(DEFAULT_LANGUAGE, help="Language of the release: ko or en").tag(config=True)

    def preprocess(self, nb, resources):
        return select_language(nb, self.lang), resources
