"""Marking schemes of written answers: what earns how many points, and the common wrong answers.

A written answer `answer_<topic>` (a markdown cell graded by hand) is followed by a locked markdown
cell `rubric_<topic>` whose whole text lies between nbgrader's mark scheme markers:

    <!-- BEGIN MARK SCHEME -->
    **채점 기준 · Marking scheme** `answer_topic` (10점 / 10 points)

    - **+4** 한국어로 쓴 기준
      *the same criterion in English*
    - **+6** ...
      *...*

    **자주 보이는 오답과 감점 · Common wrong answers and deductions**

    - **−2** 한국어로 쓴 오답과 감점
      *in English*
    <!-- END MARK SCHEME -->

Why a cell of its own, and not the answer cell or a file beside the notebook: formgrader renders
the graded notebook (autograded/<student>/...), in which nbgrader puts every locked cell back from
the gradebook. The release build saves the locked cell to the gradebook before ClearMarkScheme
empties it (nbgrader_config.py), so students get an empty cell while a grader sees the scheme right
under the student's answer. The answer cell's own model answer never reaches formgrader (nbgrader
replaces it before saving), and a file beside the notebook would be copied into the release.

The awards (`+N`) must add up to the answer's points; a deduction (`−N`) names a wrong answer met
in practice and what it costs. Each item is written in Korean first, with its English line below.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from autograder.cells import ANSWER_PREFIX, MARK_SCHEME_BEGIN, MARK_SCHEME_END, REGIONS, RUBRIC_PREFIX

ITEM_RE = re.compile(r"^- \*\*([+−-])(\d+(?:\.\d+)?)\*\* (\S.*)$")
ENGLISH_RE = re.compile(r"^  \*(\S.*\S)\*$")
HANGUL_RE = re.compile(r"[\uac00-\ud7a3]")


@dataclass
class Rubric:
    awards: list[tuple[float, str, str]] = field(default_factory=list)       # (points, Korean, English)
    deductions: list[tuple[float, str, str]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def total(self) -> float:
        return sum(points for points, _, _ in self.awards)


def rubric_id(answer_id: str) -> str:
    """The grade id of the marking scheme of the answer cell `answer_id` (answer_x -> rubric_x)."""
    return RUBRIC_PREFIX + answer_id[len(ANSWER_PREFIX):]


def parse_rubric(source: str) -> Rubric:
    """The items of a marking scheme cell, and what is wrong with its form."""
    rubric = Rubric()
    regions = [m.group(0) for m in REGIONS["mark scheme"].finditer(source)]
    if len(regions) != 1:
        rubric.problems.append(f"must hold one region between {MARK_SCHEME_BEGIN!r} and {MARK_SCHEME_END!r} "
                               f"(found {len(regions)})")
        return rubric
    if REGIONS["mark scheme"].sub("", source).strip():
        rubric.problems.append("has text outside its mark scheme region: the release would show it to students")
    lines = regions[0].splitlines()
    for i, line in enumerate(lines):
        item = ITEM_RE.match(line)
        if not item:
            if line.startswith("- "):
                rubric.problems.append(f"line {line[:40]!r} is not an item '- **+N** ...' or '- **−N** ...'")
            continue
        sign, points, korean = item.group(1), float(item.group(2)), item.group(3)
        english = ENGLISH_RE.match(lines[i + 1]) if i + 1 < len(lines) else None
        if not HANGUL_RE.search(korean):
            rubric.problems.append(f"item {korean[:40]!r} must be written in Korean first")
        if english is None or HANGUL_RE.search(english.group(1)):
            rubric.problems.append(f"item {korean[:40]!r} needs its English line below it ('  *...*')")
        entry = (points, korean, english.group(1) if english else "")
        (rubric.awards if sign == "+" else rubric.deductions).append(entry)
    return rubric


def rubric_problems(source: str, points: float) -> list[str]:
    """Why a marking scheme cannot serve the answer worth `points` (empty when it can)."""
    rubric = parse_rubric(source)
    problems = list(rubric.problems)
    if rubric.problems and not (rubric.awards or rubric.deductions):
        return problems
    if abs(rubric.total - points) > 1e-9:
        problems.append(f"its awards add up to {rubric.total:g} points, the answer is worth {points:g}")
    if not rubric.deductions:
        problems.append("names no common wrong answer with its deduction ('- **−N** ...')")
    problems += [f"deduction {korean[:40]!r} of {p:g} is more than the answer's {points:g} points"
                 for p, korean, _ in rubric.deductions if p > points]
    return problems
