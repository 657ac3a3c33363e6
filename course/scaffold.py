"""`course new`: the skeleton of a new assignment, ready to pass `course check` and to be graded.

`create_assignment(root, "05_something")` writes

- source/05_something/something.ipynb: a title pair (ko, en), the locked set-up cell with the
  current grader interface block (course/standin.py), and one small exercise, `normalize`, with
  its narrative pair, a solution cell, a visible test cell and a hidden test cell that only draws
  probes, calls the student's function and records;
- examples/05_something/something/{all_correct,blank}.py: the example students every notebook
  needs (the demo grades them; the test catalogue calls them samples);
- tests/submissions/05_something/something/{mutants,variants}/: one wrong solution the hidden
  test must catch and one other correct solution it must accept.

The exercise is a working example for the instructor to replace, not course content. Nothing is
written when the name is malformed or anything it would write already exists.
"""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import nbformat

from autograder.layout import LANGUAGES, release_dir

from . import standin
from .specs import CATALOGUE, EXAMPLES

ASSIGNMENT_RE = re.compile(r"^(\d{2})_([a-z][a-z0-9]*(?:_[a-z0-9]+)*)$")
NOTEBOOK_RE = re.compile(r"^[a-z][a-z0-9]*(?:_[a-z0-9]+)*$")
KERNELSPEC = {"display_name": "Python 3", "language": "python", "name": "python3"}


class ScaffoldError(ValueError):
    """`course new` cannot create the assignment; the message says why (the CLI exits with 2)."""


def default_notebook(assignment: str) -> str:
    """The assignment's name without its number: 05_tiny_lm -> tiny_lm."""
    return _parse_assignment(assignment).group(2)


def _parse_assignment(assignment: str) -> re.Match:
    found = ASSIGNMENT_RE.match(assignment)
    if not found:
        raise ScaffoldError(f"assignment name {assignment!r} must look like 05_lowercase_words: two digits "
                            "(the course order), an underscore, then lowercase words joined by underscores")
    return found


def _check_notebook_name(notebook: str) -> None:
    if not NOTEBOOK_RE.match(notebook):
        raise ScaffoldError(f"notebook name {notebook!r} must be lowercase words joined by underscores "
                            "(e.g. self_attention), without .ipynb")


# ---------------------------------------------------------------- the notebook

def _meta(grade_id: str, *, grade=False, solution=False, locked=False, points=None) -> dict:
    """nbgrader 0.9.6 cell metadata, as the course's other source notebooks carry it."""
    meta = {"grade": grade, "grade_id": grade_id, "locked": locked, "schema_version": 3,
            "solution": solution, "task": False}
    if points is not None:
        meta["points"] = points
    return {"nbgrader": meta}


def _lang(lang: str) -> dict:
    return {"tags": [f"lang:{lang}"]}


def _title(assignment: str) -> tuple[str, str]:
    found = _parse_assignment(assignment)
    return found.group(1), found.group(2).replace("_", " ").capitalize()


INTRO_KO = """\
# 과제 {number} · {title}

| 문항 | 내용 | 배점 |
|---|---|---|
| Q1 | `normalize`: 가중치를 확률분포로 정규화하기 | 5 |
| | **합계** | **5** |

**진행 방법**
- 코드 문항에는 함수 이름, 인자, docstring이 이미 적혀 있습니다.
  `raise NotImplementedError()` 줄을 지우고 그 자리에 코드를 쓰세요.
  바로 위의 `# 힌트 / Hint:` 주석이 방향을 알려 줍니다.
- 각 문항 아래의 **보이는 테스트**는 손으로 확인할 수 있는 예제를 검사합니다.
  채점할 때는 무작위 입력과 잘못된 입력을 검사하는 **숨겨진 테스트**가 더해지므로,
  보이는 테스트를 통과했다고 만점이 보장되지는 않습니다.
- 첫 코드 셀(준비)은 고치지 말고 실행만 하세요. 셀을 지우거나 잠긴 셀을 고치지 마세요.
  제출 전에 *Kernel → Restart & Run All*로 처음부터 끝까지 오류 없이 실행되는지 확인하세요."""

INTRO_EN = """\
# Assignment {number} · {title}

| Question | Topic | Points |
|---|---|---|
| Q1 | `normalize`: turn weights into a probability distribution | 5 |
| | **Total** | **5** |

**How to work**
- Every coding question already gives the function name, its arguments and its docstring. Delete the
  `raise NotImplementedError()` line and write your code in its place; the `# 힌트 / Hint:` comment above it
  points the way.
- The **visible tests** under each question check a worked example you can verify by hand. Grading adds **hidden tests**
  with random and invalid inputs, so passing the visible tests does not guarantee full marks.
- Run the first code cell (set-up) without modifying it. Do not delete cells or edit locked cells. Before you submit,
  run *Kernel → Restart & Run All* and make sure the notebook runs from top to bottom without errors."""

EXERCISE_KO = """\
## Q1 가중치를 확률분포로 정규화하기 (5점)

음이 아닌 가중치 $w_1, \\dots, w_n$을 그 합으로 나누면 합이 1인 확률분포가 됩니다.

$$p_i = \\frac{w_i}{\\sum_{j=1}^{n} w_j}$$

`normalize(weights)`를 완성하세요. 가중치 리스트를 받아 같은 길이의 float 리스트 $[p_1, \\dots, p_n]$을 돌려줍니다.
예를 들어 `normalize([1, 3])`은 `[0.25, 0.75]`입니다.

**잘못된 입력은 `ValueError`로 거부하세요:** 빈 리스트, 음수 가중치, 합이 0인 가중치(모두 0).
0인 가중치가 일부 섞여 있는 것은 올바른 입력입니다.

**채점.** 보이는 테스트는 손으로 확인할 수 있는 예제입니다.
숨겨진 테스트는 무작위 가중치, 경계 사례와 위의 잘못된 입력을 검사합니다."""

EXERCISE_EN = """\
## Q1 Turn weights into a probability distribution (5 points)

Dividing non-negative weights $w_1, \\dots, w_n$ by their sum gives a probability distribution, which sums to one:

$$p_i = \\frac{w_i}{\\sum_{j=1}^{n} w_j}$$

Complete `normalize(weights)`. It takes a list of weights and returns a list of floats $[p_1, \\dots, p_n]$ of the same
length. For example, `normalize([1, 3])` is `[0.25, 0.75]`.

**Reject invalid input with a `ValueError`:** an empty list, a negative weight, weights that sum to zero (all zero).
Some zero weights among positive ones are valid input.

**Grading.** The visible tests are worked examples you can check by hand. The hidden tests check random weights, edge
cases and the invalid inputs above."""

SETUP_HEAD = """\
# NOTE: 이 셀은 수정하지 마세요 / Do not modify this cell.
import math
import os

import numpy as np

"""

SETUP_TAIL = """
# nbgrader sets NBGRADER_EXECUTION while grading: anything slow (training) can shrink then
GRADING = bool(os.environ.get("NBGRADER_EXECUTION"))"""

SOLUTION = '''\
def normalize(weights):
    """Scale non-negative weights so that they sum to one.

    Parameters
    ----------
    weights : list of float
        Non-negative numbers, at least one of them positive.

    Returns
    -------
    list of float
        weights[i] / sum(weights) for every i: the same proportions, summing to one.

    Raises
    ------
    ValueError
        If the list is empty, a weight is negative, or all weights are zero.
    """
    # 힌트 / Hint: 잘못된 입력은 ValueError, 아니면 합으로 나누기 / invalid input: ValueError, else divide by the total
    ### BEGIN SOLUTION
    if len(weights) == 0:
        raise ValueError("normalize needs at least one weight, got an empty list")
    for position, weight in enumerate(weights):
        if weight < 0:
            raise ValueError(f"weights must not be negative, got {weight} at position {position}")
    total = sum(weights)
    if total == 0:
        raise ValueError("the weights sum to zero: there is no distribution to scale them to")
    return [weight / total for weight in weights]
    ### END SOLUTION'''

VISIBLE_TEST = '''\
# 보이는 테스트 / Visible test: worked examples of normalize
normalize_examples = [
    ([1, 3], [0.25, 0.75]),                   # 1/4 and 3/4
    ([2.0, 2.0, 4.0], [0.25, 0.25, 0.5]),     # the total is 8
    ([0, 5], [0.0, 1.0]),                     # a zero weight is valid and stays zero
]
for weights, expected in normalize_examples:
    found = normalize(weights)
    record("normalize_example", found, rtol=1e-9, atol=1e-12)
    print(f"normalize({weights}): expected {expected}, found {found}")
    assert len(found) == len(expected), f"normalize({weights}): expected {len(expected)} values, found {len(found)}"
    assert all(math.isclose(f, e, rel_tol=1e-9, abs_tol=1e-12) for f, e in zip(found, expected)), \\
        f"normalize({weights}): expected {expected}, found {found}"
print("test_normalize_visible: all examples match")'''

# Only probes, calls of the student's function and records: course check rejects anything that
# could carry an answer into the student's kernel (definitions, asserts, comparisons).
HIDDEN_TEST = '''\
# 숨겨진 테스트 / Hidden tests: normalize on random weights, edge cases and every invalid input
### BEGIN HIDDEN TESTS
_strict = {"rtol": 1e-9, "atol": 1e-12}  # up to rounding error only

_rng = probe_rng("normalize")
for _ in range(20):
    _weights = [float(x) for x in _rng.uniform(0.0, 10.0, size=int(_rng.integers(1, 10)))]
    record("normalize_random", normalize(_weights), **_strict)

# one weight, zero weights beside a positive one, integers: all valid
for _weights in ([3.5], [0.0, 0.0, 2.0], [1, 1, 1, 1]):
    record("normalize_edge", outcome(normalize, _weights), **_strict)

# an empty list, all zeros, a negative weight: each must raise ValueError
for _weights in ([], [0.0, 0.0], [1.0, -0.5, 2.0]):
    record("normalize_invalid", outcome(normalize, _weights))
print("normalize ran on every probe")
### END HIDDEN TESTS'''


def skeleton_notebook(assignment: str):
    """The source notebook of a new assignment (outputs empty, generic kernel)."""
    number, title = _title(assignment)
    cells = [
        nbformat.v4.new_markdown_cell(INTRO_KO.format(number=number, title=title), id="md-title-ko",
                                      metadata=_lang("ko")),
        nbformat.v4.new_markdown_cell(INTRO_EN.format(number=number, title=title), id="md-title-en",
                                      metadata=_lang("en")),
        nbformat.v4.new_code_cell(SETUP_HEAD + standin.block() + SETUP_TAIL, id=standin.SETUP_CELL,
                                  metadata=_meta(standin.SETUP_CELL, locked=True)),
        nbformat.v4.new_markdown_cell(EXERCISE_KO, id="md-normalize-ko", metadata=_lang("ko")),
        nbformat.v4.new_markdown_cell(EXERCISE_EN, id="md-normalize-en", metadata=_lang("en")),
        nbformat.v4.new_code_cell(SOLUTION, id="normalize", metadata=_meta("normalize", solution=True)),
        nbformat.v4.new_code_cell(VISIBLE_TEST, id="test_normalize_visible",
                                  metadata=_meta("test_normalize_visible", grade=True, locked=True, points=2)),
        nbformat.v4.new_code_cell(HIDDEN_TEST, id="test_normalize_hidden",
                                  metadata=_meta("test_normalize_hidden", grade=True, locked=True, points=3)),
    ]
    nb = nbformat.v4.new_notebook(cells=cells)
    nb.metadata = {"kernelspec": dict(KERNELSPEC), "language_info": {"name": "python"}}
    nbformat.validate(nb)
    return nb


# ---------------------------------------------------------------- the specs

ALL_CORRECT = '''\
"""The reference answers, handed in on the Korean release: every autograded cell keeps full points."""
# base: solution
# expect: full
'''

BLANK = '''\
"""The untouched release: the solution cell still raises NotImplementedError, so every test cell earns nothing."""
# base: release
# expect: fail test_normalize_visible test_normalize_hidden
'''

MUTANT = '''\
"""normalize divides by the total without checking its input: the visible examples pass, but an empty list,
all zeros and a negative weight are not rejected with ValueError, which only the hidden test tries."""
# base: solution
# expect: fail test_normalize_hidden
# keep: test_normalize_visible
# %% normalize
def normalize(weights):
    """Scale non-negative weights so that they sum to one."""
    total = sum(weights)
    return [weight / total for weight in weights]
'''

VARIANT = '''\
"""normalize through a NumPy array, handed back as a list: the same numbers up to rounding, the same errors."""
# base: solution
# expect: full
# %% normalize
def normalize(weights):
    """Scale non-negative weights so that they sum to one."""
    array = np.asarray(weights, dtype=float)
    if array.size == 0:
        raise ValueError("cannot normalise an empty list of weights")
    if (array < 0).any():
        raise ValueError(f"weights must be non-negative, found {array.min()}")
    total = array.sum()
    if total == 0:
        raise ValueError("all weights are zero")
    return (array / total).tolist()
'''


def planned_files(root: Path, assignment: str, notebook: str) -> dict[Path, str]:
    """Every file `course new` writes, with its text (nothing is written here)."""
    root = Path(root)
    examples = root / EXAMPLES / assignment / notebook
    catalogue = root / CATALOGUE / assignment / notebook
    return {
        root / "source" / assignment / f"{notebook}.ipynb": nbformat.writes(skeleton_notebook(assignment)) + "\n",
        examples / "all_correct.py": ALL_CORRECT,
        examples / "blank.py": BLANK,
        catalogue / "mutants" / "no_input_checks.py": MUTANT,
        catalogue / "variants" / "numpy_array.py": VARIANT,
    }


def _conflicts(root: Path, assignment: str, notebook: str) -> list[Path]:
    """What already exists where the new assignment would go."""
    root = Path(root)
    taken = [root / "source" / assignment, root / EXAMPLES / assignment / notebook,
             root / CATALOGUE / assignment / notebook,
             *(release_dir(root, lang) / assignment for lang in LANGUAGES)]
    return [p for p in taken if p.exists()]


def create_assignment(root: Path, assignment: str, notebook: str | None = None) -> list[Path]:
    """Write the skeleton of a new assignment into the course at root; the paths written, in order.

    Raises ScaffoldError, with nothing written, when a name is malformed or the assignment or
    notebook already exists (its source folder, examples, catalogue folder or release).
    """
    root = Path(root)
    _parse_assignment(assignment)
    notebook = notebook or default_notebook(assignment)
    _check_notebook_name(notebook)
    conflicts = _conflicts(root, assignment, notebook)
    if conflicts:
        listed = ", ".join(str(p.relative_to(root)) for p in conflicts)
        raise ScaffoldError(f"{assignment}/{notebook} already exists ({listed}); choose another name, "
                            "or edit the existing notebook instead")
    files = planned_files(root, assignment, notebook)
    # the folders this call creates, outermost first, so that a failure part way leaves nothing behind
    new_dirs = []
    for path in files:
        top = next((p for p in reversed(path.parents) if not p.exists()), None)
        if top is not None and top not in new_dirs:
            new_dirs.append(top)
    try:
        for path, text in files.items():
            path.parent.mkdir(parents=True, exist_ok=True)
            with open(path, "x", encoding="utf-8") as out:   # "x": never overwrite
                out.write(text)
    except BaseException:
        for folder in new_dirs:
            shutil.rmtree(folder, ignore_errors=True)
        raise
    return list(files)


def next_steps(assignment: str, notebook: str | None = None) -> str:
    """What the instructor does after `course new` (printed by the CLI)."""
    notebook = notebook or default_notebook(assignment)
    return "\n".join([
        "next:",
        f"  course release {assignment}        build release/ko and release/en (and the gradebook entry)",
        f"  course check {assignment}          lint the source and its release",
        f"  then replace the normalize example in source/{assignment}/{notebook}.ipynb with your own",
        "  exercises, keeping examples/ and tests/submissions/ in step (docs/ADDING_AN_ASSIGNMENT.md)",
    ])
