"""What students read: the committed release, every cell of every notebook, in both languages.

These tests read the built release (what students are handed), not the source notebooks: a word
that only the instructor's copy holds (a model answer, a marking scheme, a hidden test) is cut out
by the release builder and is no concern here.
"""
from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest

from autograder.layout import LANGUAGES
from autograder.nbgrader_app import course_config
from course.colab import docs_url, is_link, release_docs_links

ROOT = Path(__file__).resolve().parents[1]

# The kit's own working words. "시드" alone means a random seed in these notebooks, so only the
# uses that meant the original course materials are listed; "the seed" is not used for a random
# seed either ("the random seed"), so that the phrase can be banned outright.
FORBIDDEN = {
    "시드 코드": re.compile(r"시드 코드"),
    "시드의/시드는/시드가 (the course materials)": re.compile(r"시드(의|는|가|도) "),
    "시드 그대로": re.compile(r"시드 그대로"),
    "the seed": re.compile(r"\bthe seed\b", re.IGNORECASE),
    "seed code": re.compile(r"\bseed code\b", re.IGNORECASE),
    "seed's": re.compile(r"\bseed's\b", re.IGNORECASE),
    "the issue": re.compile(r"\bthe issue\b", re.IGNORECASE),
    "catalogue": re.compile(r"\bcatalog(ue)?s?\b", re.IGNORECASE),
    "mutant": re.compile(r"\bmutants?\b", re.IGNORECASE),
    "seeds/": re.compile(r"\bseeds/"),
}


def release_notebooks():
    return sorted((ROOT / "release").glob("*/*/*.ipynb"))


def forbidden_hits(text: str) -> list[str]:
    return [f"{name}: …{text[max(0, m.start() - 30):m.end() + 30]}…"
            for name, pattern in FORBIDDEN.items() for m in pattern.finditer(text)]


def test_the_release_is_there_in_every_language():
    assert {p.relative_to(ROOT / "release").parts[0] for p in release_notebooks()} == set(LANGUAGES)


@pytest.mark.parametrize("path", release_notebooks(), ids=lambda p: str(p.relative_to(ROOT / "release")))
def test_no_internal_words_in_the_release(path):
    nb = nbformat.read(path, as_version=4)
    hits = [f"cell {i} ({c.get('id')}) {hit}" for i, c in enumerate(nb.cells) for hit in forbidden_hits(c.source)]
    assert not hits, "internal words a student would read:\n" + "\n".join(hits)


def test_the_word_list_catches_what_it_is_for():
    assert forbidden_hits("As in the seed code, the seed's `decode`")
    assert forbidden_hits("시드 코드처럼, 시드의 `decode`, 시드는 위치 임베딩을 빠뜨리고")
    assert forbidden_hits("the issue asks for at least 10 epochs; see the mutant catalogue in seeds/")
    # a random seed is not an internal word
    assert not forbidden_hits("torch.manual_seed(123) fixes the random seed; 시드 1337로 시드를 고정합니다")


# ---- one term per idea: docs/GLOSSARY.md, linked from every notebook's first cell ----

GLOSSARY = ROOT / "docs" / "GLOSSARY.md"


def glossary_rows() -> list[dict]:
    """The glossary's table: Korean term, English term, meaning, and the words not used (comma-separated)."""
    rows = []
    for line in GLOSSARY.read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if not line.startswith("|") or len(cells) != 4 or set(cells[0]) <= set("-") or cells[0] == "한국어":
            continue
        rows.append({"ko": cells[0], "en": cells[1], "meaning": cells[2],
                     "rejected": [w.strip() for w in cells[3].split(",") if w.strip()]})
    return rows


def release_text(lang: str) -> str:
    return "\n".join(c.source for path in sorted((ROOT / "release" / lang).glob("*/*.ipynb"))
                     for c in nbformat.read(path, as_version=4).cells)


def test_the_glossary_has_a_meaning_for_every_term():
    rows = glossary_rows()
    assert len(rows) >= 20
    assert all(row["ko"] and row["en"] and row["meaning"] for row in rows)
    preferred = {row["ko"] for row in rows}
    assert not preferred & {w for row in rows for w in row["rejected"]}, "a word is both preferred and rejected"


def test_the_release_uses_the_glossary_terms_and_none_of_the_rejected_ones():
    rows = glossary_rows()
    ko, en = release_text("ko"), release_text("en").lower()
    assert [row["ko"] for row in rows if row["ko"] not in ko] == [], "preferred Korean terms the release never uses"
    assert [row["en"] for row in rows if row["en"].lower() not in en] == [], "English terms the release never uses"
    for lang, text in (("ko", ko), ("en", en)):
        used = [(w, text.count(w)) for row in rows for w in row["rejected"] if w in text]
        assert used == [], f"rejected variants in the {lang} release"


@pytest.mark.parametrize("path", release_notebooks(), ids=lambda p: str(p.relative_to(ROOT / "release")))
def test_every_first_cell_links_to_the_glossary_where_a_student_reads_it(path):
    """A release notebook is read on Colab, on feedback pages and in a student's own folder: its link
    to the glossary is the repository's copy (the course's ColabLink setting), never a relative path.
    The source notebook's link is relative and works where the instructor opens it."""
    settings = course_config(ROOT).ColabLink
    # the notebook's own first cell: the release builder puts the Colab link above it
    first = next(c for c in nbformat.read(path, as_version=4).cells if not is_link(c))
    links = re.findall(r"\]\(([^)]*GLOSSARY\.md)\)", first.source)
    assert links and set(links) == {docs_url(settings.repository, settings.branch, "GLOSSARY.md")}
    source = ROOT / "source" / path.parent.name / path.name
    source_links = re.findall(r"\]\(([^)]*GLOSSARY\.md)\)", nbformat.read(source, as_version=4).cells[0].source)
    assert source_links and all((source.parent / link).resolve() == GLOSSARY for link in source_links)


def test_without_a_repository_the_release_link_is_relative_to_the_release_notebook():
    text = "terms: [glossary](../../docs/GLOSSARY.md), [other](https://example.org/docs/x.md)"
    made = release_docs_links(text, "", "main")
    link = re.search(r"\[glossary\]\(([^)]+)\)", made).group(1)
    assert (ROOT / "release" / "ko" / "01_probability" / link).resolve() == GLOSSARY
    assert "(https://example.org/docs/x.md)" in made
    assert release_docs_links(text, "https://github.com/o/r", "fall").startswith(
        "terms: [glossary](https://github.com/o/r/blob/fall/docs/GLOSSARY.md)")


# ---- two-level hints in 03 and 04: the comment names the idea, the code is folded away ----

HINTED = ("03_causal_multihead_attention", "04_simple_gpt")
ASSIGNMENT_LHS = re.compile(r"^(return\s+|[\w.\[\], ]+\s*=\s*)")


def hint_comments(source: str) -> str:
    """The `# 힌트 / Hint:` comments of a code cell, continuation lines included."""
    hints, inside = [], False
    for line in source.splitlines():
        stripped = line.strip()
        inside = "힌트 / Hint" in stripped or (inside and stripped.startswith("#"))
        if inside:
            hints.append(stripped)
    return "\n".join(hints)


def solution_expressions(source: str) -> list[str]:
    """The code of each solution line without `return` or an assignment's left side (long ones only)."""
    found = []
    for block in re.findall(r"### BEGIN SOLUTION\n(.*?)### END SOLUTION", source, re.S):
        for line in block.splitlines():
            code = ASSIGNMENT_LHS.sub("", line.split("#")[0].strip())
            if len(code) >= 12:
                found.append(code)
    return found


def answer_in_hint(source: str) -> list[str]:
    hints = hint_comments(source)
    return [code for code in solution_expressions(source) if code in hints]


def test_the_hint_check_finds_a_hint_that_is_the_answer():
    cell = ("def f(scores, mask):\n    # 힌트 / Hint: scores.masked_fill(mask.bool(), -torch.inf)\n"
            "    ### BEGIN SOLUTION\n    return scores.masked_fill(mask.bool(), -torch.inf)\n    ### END SOLUTION\n")
    assert answer_in_hint(cell) == ["scores.masked_fill(mask.bool(), -torch.inf)"]
    first_level = cell.replace("Hint: scores.masked_fill(mask.bool(), -torch.inf)", "Hint: -inf where the mask is 1")
    assert answer_in_hint(first_level) == []


@pytest.mark.parametrize("path", [p for a in HINTED for p in sorted((ROOT / "source" / a).glob("*.ipynb"))],
                         ids=lambda p: p.stem)
def test_no_first_level_hint_spells_out_a_solution_line(path):
    nb = nbformat.read(path, as_version=4)
    given = {c.get("id"): answer_in_hint(c.source) for c in nb.cells
             if c.cell_type == "code" and c.metadata.get("nbgrader", {}).get("solution")}
    assert {cid: lines for cid, lines in given.items() if lines} == {}


@pytest.mark.parametrize("assignment", HINTED)
def test_the_folded_code_hints_reach_both_releases(assignment):
    counts = {}
    for lang in LANGUAGES:
        text = "\n".join(c.source for p in sorted((ROOT / "release" / lang / assignment).glob("*.ipynb"))
                         for c in nbformat.read(p, as_version=4).cells if c.cell_type == "markdown")
        assert text.count("<details><summary>") == text.count("</details>")
        counts[lang] = text.count("<details><summary>")
    assert len(set(counts.values())) == 1 and counts["en"] >= 3, counts
