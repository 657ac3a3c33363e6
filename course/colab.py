"""The "Open in Colab" link at the top of every release notebook, from one course setting.

The course names its own repository once, in nbgrader_config.py:

    c.ColabLink.repository = "https://github.com/<owner>/<repo>"
    c.ColabLink.branch = "main"

and GenerateAssignment runs ColabLink right after SelectLanguage, so `course release` and plain
`nbgrader generate_assignment` both put the link in. Colab opens a notebook straight from a public
GitHub repository by a URL that repeats its path there; the link points at the release notebook
itself (release/<lang>/<assignment>/<notebook>.ipynb), so a student gets the notebook of their
language, as released. The link is plain text: a badge image would be fetched from a third
party every time the notebook is opened.

The link cell carries no nbgrader metadata: it is not graded, its checksum is not recorded, and
the gradebook stays the same whichever language is built last (the URL differs per language).
A student who deletes it loses nothing.

Links from a notebook to the course's documents (the glossary, docs/GLOSSARY.md) are written in
the source notebook relative to source/<assignment>/, where the instructor opens them. A release
notebook is read elsewhere: on Colab, on a feedback page, in a student's own folder. So the same
preprocessor makes them absolute links to the repository's copy, or, with no repository set,
relative to release/<lang>/<assignment>/.
"""
from __future__ import annotations

import re

import nbformat
from nbgrader.preprocessors import NbGraderPreprocessor
from traitlets import Unicode

from autograder.layout import LANGUAGES

COLAB = "https://colab.research.google.com/github"
CELL_ID = "open-in-colab"
GITHUB_RE = re.compile(r"^https://github\.com/([A-Za-z0-9](?:[A-Za-z0-9-]{0,38}))/([A-Za-z0-9._-]{1,100}?)(?:\.git)?/?$")
# a link from a source notebook (source/<assignment>/<notebook>.ipynb) to a file under docs/
DOCS_LINK_RE = re.compile(r"\]\(\.\./\.\./docs/([A-Za-z0-9._-]+\.md)\)")
BRANCH_RE = re.compile(r"^[A-Za-z0-9._/-]{1,200}$")
LABEL = {"ko": "Colab에서 열기", "en": "Open in Colab"}
# Colab opens a copy that is lost when the tab closes: say how to keep it and how to hand it in.
HOW = {
    "ko": "작업을 남기려면 *파일 → 드라이브에 사본 저장*, 제출할 때는 *파일 → 다운로드 → .ipynb 다운로드*.",
    "en": "To keep your work, *File → Save a copy in Drive*; to hand it in, *File → Download → Download .ipynb*.",
}


def repository_path(url: str) -> str:
    """owner/repo of a GitHub repository URL; a clear error for anything else."""
    found = GITHUB_RE.match(url.strip())
    if not found:
        raise ValueError(f"ColabLink.repository must be a GitHub repository URL like "
                         f"https://github.com/<owner>/<repo>, not {url!r} (nbgrader_config.py)")
    return f"{found.group(1)}/{found.group(2)}"


def colab_url(repository: str, branch: str, lang: str, assignment: str, notebook: str) -> str:
    """Where Colab opens release/<lang>/<assignment>/<notebook>.ipynb of the course's repository."""
    if not BRANCH_RE.match(branch) or ".." in branch:
        raise ValueError(f"ColabLink.branch {branch!r} is not a branch name (nbgrader_config.py)")
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}; choose one of {', '.join(LANGUAGES)}")
    return f"{COLAB}/{repository_path(repository)}/blob/{branch}/release/{lang}/{assignment}/{notebook}.ipynb"


def docs_url(repository: str, branch: str, name: str) -> str:
    """Where GitHub shows docs/<name> of the course's repository."""
    return f"https://github.com/{repository_path(repository)}/blob/{branch}/docs/{name}"


def release_docs_links(source: str, repository: str, branch: str) -> str:
    """A markdown text with its links to docs/ made right for a release notebook (see above)."""
    def target(found: re.Match) -> str:
        name = found.group(1)
        return f"]({docs_url(repository, branch, name) if repository else '../../../docs/' + name})"
    return DOCS_LINK_RE.sub(target, source)


def link_cell(url: str, lang: str):
    # A fixed id: the release is committed and diffed in CI, so a rebuild must write the same bytes.
    return nbformat.v4.new_markdown_cell(f"[{LABEL[lang]}]({url}) · {HOW[lang]}", id=CELL_ID,
                                         metadata={"tags": [CELL_ID]})


def is_link(cell) -> bool:
    return CELL_ID in cell.get("metadata", {}).get("tags", [])


def link_cells(nb) -> list:
    return [c for c in nb.cells if is_link(c)]


class ColabLink(NbGraderPreprocessor):
    """nbgrader preprocessor: put the "Open in Colab" link first in a release notebook.

    Runs after SelectLanguage, which records the release's language in the notebook's metadata.
    With no repository configured the notebook is left as it is.
    """

    repository = Unicode("", help="The course's GitHub repository, https://github.com/<owner>/<repo>").tag(config=True)
    branch = Unicode("main", help="The branch of that repository that holds release/").tag(config=True)

    def preprocess(self, nb, resources):
        for cell in nb.cells:
            if cell.cell_type == "markdown":
                cell.source = release_docs_links(cell.source, self.repository, self.branch)
        if not self.repository:
            return nb, resources
        lang = nb.metadata.get("language")
        if lang is None:
            raise ValueError("ColabLink must run after SelectLanguage (it needs the release's language)")
        url = colab_url(self.repository, self.branch, lang, resources["nbgrader"]["assignment"],
                        resources["nbgrader"]["notebook"])
        nb.cells = [link_cell(url, lang)] + [c for c in nb.cells if not is_link(c)]
        return nb, resources
