"""`course check`: lint source notebooks and their releases, naming the offending cell.

Each rule is a small function yielding Problems; `check_course` runs them all.
"""
from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from pathlib import Path

import nbformat

from autograder.cells import (
    ANSWER_PREFIX,
    REGIONS,
    RUBRIC_PREFIX,
    extra_credit,
    grade_id,
    is_autograded_test,
    is_rubric,
    nbgrader_meta,
    regions,
    telling_lines,
)
from autograder.layout import LANGUAGES, assignments, release_dir, source_notebooks

from . import standin
from .language import cell_language
from .rubric import rubric_id, rubric_problems

GRADE_ID_RE = re.compile(r"^[a-zA-Z0-9_-]+$")
# ids a tool made up rather than a person: cell-ab73bb44c9419adb, 3f2a9c81...
OPAQUE_ID_RE = re.compile(r"^(cell[-_]?)?[0-9a-f]{6,}$|^cell[-_]?\d+$")
GENERIC_KERNEL = "python3"
MARKERS = ("BEGIN SOLUTION", "END SOLUTION", "BEGIN HIDDEN TESTS", "END HIDDEN TESTS",
           "BEGIN MARK SCHEME", "END MARK SCHEME")


@dataclass(frozen=True)
class Problem:
    path: Path
    index: int | None
    cell: str
    message: str

    def __str__(self) -> str:
        where = f"cell {self.index} ({self.cell})" if self.index is not None else "notebook"
        return f"{self.path}: {where}: {self.message}"


def describe(cell) -> str:
    return f"{cell.cell_type} {grade_id(cell) or cell.get('id') or '?'}"


def is_test_cell(meta: dict) -> bool:
    """A graded cell that is not an answer (the metadata rules below also judge markdown cells)."""
    return bool(meta.get("grade") and not meta.get("solution"))


# ---------------------------------------------------------------- source rules

def rule_outputs_cleared(path, nb):
    for i, cell in enumerate(nb.cells):
        if cell.cell_type == "code" and (cell.get("outputs") or cell.get("execution_count")):
            yield Problem(path, i, describe(cell), "outputs are not cleared")


def rule_generic_kernel(path, nb):
    name = nb.metadata.get("kernelspec", {}).get("name")
    if name != GENERIC_KERNEL:
        yield Problem(path, None, "", f"kernel spec is {name!r}, expected the generic {GENERIC_KERNEL!r}")


def rule_nbgrader_metadata(path, nb):
    seen: dict[str, int] = {}
    for i, cell in enumerate(nb.cells):
        if "nbgrader" not in cell.get("metadata", {}):
            continue
        meta, where = nbgrader_meta(cell), describe(cell)
        for key in ("grade", "solution", "locked"):
            if not isinstance(meta.get(key), bool):
                yield Problem(path, i, where, f"nbgrader metadata needs a boolean {key!r}")
        if meta.get("schema_version") != 3:
            yield Problem(path, i, where, "nbgrader metadata must have schema_version 3")
        gid = meta.get("grade_id")
        if not gid or not GRADE_ID_RE.match(str(gid)):
            yield Problem(path, i, where, f"grade_id {gid!r} must match [a-zA-Z0-9_-]+")
            continue
        if gid in seen:
            yield Problem(path, i, where, f"grade_id {gid!r} is used again (first at cell {seen[gid]})")
        seen[gid] = i
        if OPAQUE_ID_RE.match(gid) or len(gid) < 4:
            yield Problem(path, i, where, f"grade_id {gid!r} does not say what the cell is")
        if meta.get("grade"):
            points = meta.get("points")
            if extra_credit(cell):
                # extra credit: no points of its own, so the notebook's maximum stays the base total;
                # a person types what a written answer earned into formgrader's extra-credit box
                earns_it = is_test_cell(meta) and cell.cell_type == "code" or gid.startswith(ANSWER_PREFIX)
                if points != 0 or not earns_it:
                    yield Problem(path, i, where, "extra credit (metadata.autograder.extra_credit) is for test "
                                  f"cells and written answers with nbgrader points 0, this one has {points!r}")
            elif not isinstance(points, (int, float)) or points <= 0:
                yield Problem(path, i, where, f"grade cell needs positive points, has {points!r}")
        if is_test_cell(meta) and not gid.startswith("test_"):
            yield Problem(path, i, where, "autograded test cells are named test_<what>")
        if meta.get("grade") and meta.get("solution") and not gid.startswith("answer_"):
            yield Problem(path, i, where, "manually graded answers are named answer_<topic>")
        if is_test_cell(meta) and not meta.get("locked"):
            yield Problem(path, i, where, "test cells must be locked")
        if is_test_cell(meta) and cell.cell_type == "code":
            yield from _bare_final_expression(path, i, cell)
            if "record(" not in cell.source:
                yield Problem(path, i, where, "records no evidence: the trusted grader can never give it "
                              "points (docs/GRADING_PROTOCOL.md)")
        if "BEGIN SOLUTION" in cell.source and not meta.get("solution"):
            yield Problem(path, i, where, "has a solution region but is not a solution cell")
        if "BEGIN HIDDEN TESTS" in cell.source and not is_test_cell(meta):
            yield Problem(path, i, where, "has hidden tests but is not a test cell")
    for i, cell in enumerate(nb.cells):
        if not nbgrader_meta(cell) and any(m in cell.source for m in MARKERS):
            yield Problem(path, i, describe(cell), "has nbgrader markers but no nbgrader metadata")


def _bare_final_expression(path, i, cell):
    """nbgrader reads a number left as a cell's value as partial credit."""
    try:
        body = ast.parse(_strip_magics(cell.source)).body
    except SyntaxError as err:
        yield Problem(path, i, describe(cell), f"does not parse: {err.msg} (line {err.lineno})")
        return
    if body and isinstance(body[-1], ast.Expr) and not isinstance(body[-1].value, ast.Call):
        yield Problem(path, i, describe(cell),
                      "ends with a bare expression (nbgrader would read a number as partial credit)")


def _strip_magics(source: str) -> str:
    return "\n".join("" if line.lstrip().startswith(("%", "!")) else line
                     for line in source.splitlines())


def _names_defined(source: str) -> set[str]:
    names = set()
    for node in ast.parse(_strip_magics(source)).body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                names |= {n.id for n in ast.walk(target) if isinstance(n, ast.Name)}
    return names


def _names_used(source: str) -> set[str]:
    try:
        tree = ast.parse(_strip_magics(source))
    except SyntaxError:
        return set()
    return {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)}


def rule_solutions_tested(path, nb):
    """Every solution code cell defines something a later test cell uses."""
    for i, cell in enumerate(nb.cells):
        meta = nbgrader_meta(cell)
        if cell.cell_type != "code" or not (meta and meta.get("solution")) or meta.get("grade"):
            continue
        try:
            defined = _names_defined(cell.source)
        except SyntaxError as err:
            yield Problem(path, i, describe(cell), f"does not parse: {err.msg} (line {err.lineno})")
            continue
        used = set()
        for later in nb.cells[i + 1:]:
            if is_autograded_test(later):
                used |= _names_used(later.source)
        if not defined & used:
            yield Problem(path, i, describe(cell),
                          f"no test cell after it uses what it defines ({', '.join(sorted(defined)) or 'nothing'})")


def rule_languages(path, nb):
    """Narrative cells are ko/en pairs; graded and code cells carry no language."""
    cells = nb.cells
    i = 0
    while i < len(cells):
        cell = cells[i]
        lang = _safe_language(cell)
        if isinstance(lang, Problem):
            yield Problem(path, i, describe(cell), lang.message)
            i += 1
            continue
        if cell.cell_type != "markdown" or "nbgrader" in cell.get("metadata", {}):
            if lang is not None:
                yield Problem(path, i, describe(cell), "only narrative markdown cells carry a language tag")
            i += 1
            continue
        if lang != LANGUAGES[0]:
            yield Problem(path, i, describe(cell),
                          f"narrative cell must start a {'/'.join(LANGUAGES)} pair with lang:{LANGUAGES[0]}"
                          f" (found {'no tag' if lang is None else 'lang:' + lang})")
            i += 1
            continue
        twin = cells[i + 1] if i + 1 < len(cells) else None
        if twin is None or twin.cell_type != "markdown" or _safe_language(twin) != LANGUAGES[1]:
            yield Problem(path, i, describe(cell),
                          f"lang:{LANGUAGES[0]} cell has no lang:{LANGUAGES[1]} twin right after it")
            i += 1
            continue
        if not twin.source.strip():
            yield Problem(path, i + 1, describe(twin), "translation is empty")
        i += 2


def _safe_language(cell):
    try:
        return cell_language(cell)
    except ValueError as err:
        return Problem(Path(), None, "", str(err))


# Calls that judge a value: in a hidden test they could only compare with an expected value
# computed in the student's kernel, which is an answer key the student's code can read.
JUDGING_CALLS = {"allclose", "isclose", "array_equal", "array_equiv", "equal", "assert_allclose",
                 "assert_array_equal", "assert_array_almost_equal", "assert_close", "approx"}


def hidden_test_violations(region: str) -> list[str]:
    """Why a hidden-test region would leave answers in the student's kernel (empty when it obeys).

    The rule (docs/GRADING_PROTOCOL.md, "No answers in the kernel"): a hidden test draws probes,
    calls the student's code and records what came back. It defines no function, class or lambda
    (a reference implementation or a helper that computes expected values), it asserts, raises
    (a bare re-raise aside) and compares nothing (judging needs an expected value), and it calls
    no comparison helper.
    Expected values come only from the reference run, compared outside the sandbox.
    """
    try:
        tree = ast.parse(_strip_magics(region))
    except SyntaxError as err:
        return [f"does not parse: {err.msg} (line {err.lineno})"]
    found = []
    for node in ast.walk(tree):
        line = getattr(node, "lineno", "?")
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)):
            kind = ("a class" if isinstance(node, ast.ClassDef)
                    else "a lambda" if isinstance(node, ast.Lambda) else "a function")
            found.append(f"defines {kind} (line {line})")
        elif isinstance(node, ast.Assert):
            found.append(f"asserts (line {line})")
        elif isinstance(node, ast.Raise) and node.exc is not None:
            # a bare `raise` only passes the student's own exception on (e.g. a stub's
            # NotImplementedError past an `except Exception`): it judges nothing
            found.append(f"raises (line {line})")
        elif isinstance(node, ast.Compare) and any(
                isinstance(op, (ast.Eq, ast.NotEq, ast.Lt, ast.LtE, ast.Gt, ast.GtE)) for op in node.ops):
            found.append(f"compares values (line {line})")
        elif isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else None
            if name in JUDGING_CALLS:
                found.append(f"calls {name}() (line {line})")
    return found


def rule_hidden_tests_carry_no_answers(path, nb):
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        for region in regions(cell.source, "hidden test"):
            for violation in hidden_test_violations(region):
                yield Problem(path, i, describe(cell),
                              f"hidden test {violation}: a hidden test only draws probes, calls the "
                              "student's code and records; the grader compares outside the sandbox "
                              "(docs/GRADING_PROTOCOL.md)")


def rule_written_answers_have_rubrics(path, nb):
    """Every written answer is followed by its marking scheme (course/rubric.py), whose awards add
    up to the answer's points; every marking scheme belongs to the answer right before it."""
    cells = nb.cells
    for i, cell in enumerate(cells):
        meta, gid = nbgrader_meta(cell), grade_id(cell) or ""
        if meta.get("grade") and meta.get("solution") and gid.startswith(ANSWER_PREFIX):
            want = rubric_id(gid)
            after = cells[i + 1] if i + 1 < len(cells) else None
            if after is None or grade_id(after) != want or not is_rubric(after):
                yield Problem(path, i, describe(cell),
                              f"written answer has no marking scheme: put a locked markdown cell {want!r} "
                              "right after it (course/rubric.py shows the form)")
        elif gid.startswith(RUBRIC_PREFIX):
            before = cells[i - 1] if i > 0 else None
            answer = ANSWER_PREFIX + gid[len(RUBRIC_PREFIX):]
            if not is_rubric(cell):
                yield Problem(path, i, describe(cell), "a marking scheme is a locked, ungraded markdown cell")
                continue
            if before is None or grade_id(before) != answer:
                yield Problem(path, i, describe(cell), f"marking scheme must come right after its answer {answer!r}")
                continue
            worth = extra_credit(before) or float(nbgrader_meta(before).get("points", 0))
            for why in rubric_problems(cell.source, worth):
                yield Problem(path, i, describe(cell), f"marking scheme {why}")


def rule_grader_interface_current(path, nb):
    """The set-up cell's grader interface block is the one generated from the kernel's code."""
    why = standin.problem(nb)
    if why:
        yield Problem(path, None, "", why)


SOURCE_RULES = (rule_outputs_cleared, rule_generic_kernel, rule_nbgrader_metadata,
                rule_solutions_tested, rule_languages, rule_hidden_tests_carry_no_answers,
                rule_written_answers_have_rubrics, rule_grader_interface_current)


# ---------------------------------------------------------------- release rule

def secret_lines(source_nb) -> dict[str, set[str]]:
    """Non-trivial lines of every solution, hidden-test and mark scheme region of a source notebook,
    but those the notebook also shows outside any region (`except NotImplementedError:` of a hidden
    test is in the set-up cell's grader interface block too: finding it in the release is no leak)."""
    secrets: dict[str, set[str]] = {kind: set() for kind in REGIONS}
    public: set[str] = set()
    for cell in source_nb.cells:
        shown = cell.source
        for kind in REGIONS:
            for block in regions(cell.source, kind):
                secrets[kind] |= telling_lines(block)
                shown = shown.replace(block, "")
        if cell.cell_type == "markdown" and nbgrader_meta(cell).get("solution"):
            secrets["solution"] |= telling_lines(cell.source)
        else:
            public |= telling_lines(shown)
    return {kind: lines - public for kind, lines in secrets.items()}


def rule_release_has_no_secrets(release_path: Path, release_nb, source_nb):
    secrets = secret_lines(source_nb)
    for i, cell in enumerate(release_nb.cells):
        if is_rubric(cell) and cell.source.strip():
            yield Problem(release_path, i, describe(cell), "release keeps text of a marking scheme")
        for marker in MARKERS:
            if marker in cell.source:
                yield Problem(release_path, i, describe(cell), f"release still contains '{marker}'")
        lines = {ln.strip() for ln in cell.source.splitlines()}
        for kind, secret in secrets.items():
            leaked = sorted(lines & secret)
            if leaked:
                yield Problem(release_path, i, describe(cell),
                              f"release shows {kind} text: {leaked[0]!r}")


# ---------------------------------------------------------------- driver

def check_notebook(path: Path) -> list[Problem]:
    try:
        nb = nbformat.read(path, as_version=4)
        nbformat.validate(nb)
    except Exception as err:  # a broken file is a finding, not a crash
        return [Problem(path, None, "", f"not a valid notebook: {err}")]
    return [p for rule in SOURCE_RULES for p in rule(path, nb)]


def check_course(root: Path, only: str | None = None, run_blank: bool = True) -> list[Problem]:
    """Every rule on every notebook of the course (or of one assignment). run_blank: also run each
    blank release notebook in the grader's sandbox (course/blank_run.py), the one rule that
    executes code; without it the check is a lint of the files only."""
    problems: list[Problem] = []
    todo = [only] if only else assignments(root)
    for assignment in todo:
        notebooks = source_notebooks(root, assignment)
        if not notebooks:
            problems.append(Problem(root / "source" / assignment, None, "", "no source notebooks"))
        for path in notebooks:
            found = check_notebook(path)
            problems += found
            if any(p.index is None and "not a valid notebook" in p.message for p in found):
                continue
            source_nb = nbformat.read(path, as_version=4)
            for lang in LANGUAGES:
                release_path = release_dir(root, lang) / assignment / path.name
                if not release_path.exists():
                    problems.append(Problem(release_path, None, "", "release is missing: run `course release`"))
                    continue
                release_nb = nbformat.read(release_path, as_version=4)
                problems += rule_release_has_no_secrets(release_path, release_nb, source_nb)
    if run_blank:
        # the rule that runs notebooks pulls in the grader: imported only when asked for
        from .blank_run import blank_release_problems
        problems += blank_release_problems(root, {a: source_notebooks(root, a) for a in todo})
    return [Problem(p.path.relative_to(root) if p.path.is_absolute() and p.path.is_relative_to(root) else p.path,
                    p.index, p.cell, p.message) for p in problems]
