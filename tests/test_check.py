"""`course check` passes on the course and names the cell for every rule it enforces."""
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from course import standin
from course.check import check_notebook, hidden_test_violations, rule_release_has_no_secrets
from course.release import build_all

from toy_course import cell_meta as meta
from toy_course import make_toy_course

ROOT = Path(__file__).resolve().parents[1]


def good_cells():
    return [
        nbformat.v4.new_markdown_cell("# 제목", metadata={"tags": ["lang:ko"]}),
        nbformat.v4.new_markdown_cell("# Title", metadata={"tags": ["lang:en"]}),
        nbformat.v4.new_code_cell("import math\n" + standin.block(), metadata=meta("setup_imports", locked=True)),
        nbformat.v4.new_code_cell("def double(x):\n    ### BEGIN SOLUTION\n    return 2 * x\n    ### END SOLUTION",
                                  metadata=meta("double", solution=True)),
        nbformat.v4.new_code_cell("record('double_2', double(2))\nassert double(2) == 4\n"
                                  "### BEGIN HIDDEN TESTS\n"
                                  "for x in probe_rng('double').integers(-9, 9, size=5).tolist():\n"
                                  "    record('double_probe', double(x))\n### END HIDDEN TESTS",
                                  metadata=meta("test_double_values", grade=True, locked=True, points=2)),
        nbformat.v4.new_markdown_cell("The answer is 42 because of reasons.",
                                      metadata=meta("answer_why", grade=True, solution=True, points=3)),
        nbformat.v4.new_markdown_cell(RUBRIC, metadata=meta("rubric_why", locked=True)),
    ]


RUBRIC = """<!-- BEGIN MARK SCHEME -->
**채점 기준 · Marking scheme**

- **+2** 42라고 답함
  *answers 42*
- **+1** 이유를 댐
  *gives the reason*

- **−1** 이유 없이 숫자만 씀
  *a number with no reason*
<!-- END MARK SCHEME -->"""


def write(tmp_path, cells, kernel="python3"):
    nb = nbformat.v4.new_notebook(cells=cells)
    nb.metadata.kernelspec = {"name": kernel, "display_name": "Python 3", "language": "python"}
    path = tmp_path / "nb.ipynb"
    nbformat.write(nb, path)
    return path


def messages(path):
    return [str(p) for p in check_notebook(path)]


def test_clean_notebook_passes(tmp_path):
    assert messages(write(tmp_path, good_cells())) == []


def test_the_grader_interface_block_must_be_the_current_one(tmp_path):
    """A hand-edited stand-in (here: an outcome() that names the student's own exception class)
    could drift from what the grader runs; course check names it, course standin repairs it."""
    cells = good_cells()
    drifted = 'return {"raised": type(err).__name__}'
    cells[2].source = cells[2].source.replace('return {"raised": kind.__name__}', drifted)
    path = write(tmp_path, cells)
    assert any("out of date" in m for m in messages(path))
    assert standin.refresh(path) and messages(path) == []
    cells = good_cells()
    cells[2].source = "import math"
    assert any("no grader interface block" in m for m in messages(write(tmp_path, cells)))


def test_the_stand_in_behaves_like_the_grader_outside_grading(monkeypatch):
    """The block's fallback, run as a notebook would run it without the grader's module."""
    import builtins

    import numpy as np

    from autograder.kernel import evidence
    monkeypatch.delenv(evidence.PROBE_SEED_ENV, raising=False)
    real_import = builtins.__import__

    def no_grader(name, *args, **kwargs):
        if name.startswith("autograder"):
            raise ImportError(name)
        return real_import(name, *args, **kwargs)
    monkeypatch.setattr(builtins, "__import__", no_grader)
    namespace: dict = {}
    exec(standin.block(), namespace)
    monkeypatch.setattr(builtins, "__import__", real_import)

    class MyError(ValueError):
        pass

    def fails():
        raise MyError("no")
    assert namespace["outcome"](fails) == evidence.outcome(fails) == {"raised": "ValueError"}
    assert namespace["outcome"](len, [1, 2]) == evidence.outcome(len, [1, 2]) == {"returned": 2}
    assert np.array_equal(namespace["probe_rng"]("x").random(5), evidence.probe_rng("x").random(5))
    assert namespace["record"]("k", 1) is None


@pytest.mark.parametrize("mutate, expected", [
    (lambda c: c[4].metadata.nbgrader.pop("points"), "(code test_double_values): grade cell needs positive points"),
    (lambda c: c[4].metadata.nbgrader.update(points=0), "grade cell needs positive points"),
    # an autograded test worth extra credit: nbgrader points 0 and what it earns in metadata.autograder
    (lambda c: (c[4].metadata.nbgrader.update(points=0), c[4].metadata.update(autograder={"extra_credit": 2})), None),
    (lambda c: c[4].metadata.update(autograder={"extra_credit": 2}), "with nbgrader points 0, this one has 2"),
    (lambda c: c[4].metadata.nbgrader.update(grade_id="cell-ab73bb44c9419adb"), "does not say what the cell is"),
    (lambda c: c[4].metadata.nbgrader.update(grade_id="double"), "is used again"),
    (lambda c: c[4].metadata.nbgrader.update(grade_id="bad id!"), "must match"),
    (lambda c: c[4].metadata.nbgrader.update(grade_id="double_check"), "named test_<what>"),
    (lambda c: c[5].metadata.nbgrader.update(grade_id="why"), "named answer_<topic>"),
    (lambda c: c[4].metadata.nbgrader.update(locked=False), "must be locked"),
    (lambda c: c[4].metadata.nbgrader.update(grade="yes"), "boolean 'grade'"),
    (lambda c: c[4].update(source="assert double(1) == 2\n3"), "bare expression"),
    (lambda c: c[4].update(source="record('x', 1)"), "no test cell after it uses"),
    (lambda c: c[4].update(source="assert double(2) == 4"), "records no evidence"),
    (lambda c: c[4].update(outputs=[nbformat.v4.new_output("stream", text="hi")]), "outputs are not cleared"),
    (lambda c: c.pop(1), "has no lang:en twin"),
    (lambda c: c.pop(0), "must start a ko/en pair"),
    (lambda c: c[1].update(source=""), "translation is empty"),
    (lambda c: c[2].metadata.setdefault("tags", []).append("lang:ko"),
     "only narrative markdown cells carry a language tag"),
    (lambda c: c.insert(3, nbformat.v4.new_code_cell("x = 1")), None),  # a plain code cell is allowed
    (lambda c: c.insert(2, nbformat.v4.new_code_cell("### BEGIN SOLUTION\nx = 1\n### END SOLUTION")),
     "has nbgrader markers but no nbgrader metadata"),
    # written answers and their marking schemes
    (lambda c: c.pop(6), "(markdown answer_why): written answer has no marking scheme"),
    (lambda c: c.insert(6, c.pop(5)), "marking scheme must come right after its answer 'answer_why'"),
    (lambda c: c[6].update(source=RUBRIC.replace("**+1**", "**+2**")),
     "marking scheme its awards add up to 4 points, the answer is worth 3"),
    (lambda c: c[6].update(source=RUBRIC.split("\n\n- **−1**")[0] + "\n<!-- END MARK SCHEME -->"),
     "names no common wrong answer"),
    (lambda c: c[6].update(source=RUBRIC.replace("  *gives the reason*\n", "")), "needs its English line"),
    (lambda c: c[6].update(source=RUBRIC.replace("42라고 답함", "answers 42")), "must be written in Korean first"),
    (lambda c: c[6].update(source="Model answer: 42.\n" + RUBRIC), "has text outside its mark scheme region"),
    (lambda c: c[6].update(source="**+3** everything"), "must hold one region"),
    (lambda c: c[6].metadata.nbgrader.update(locked=False), "a locked, ungraded markdown cell"),
    # extra credit: nbgrader points 0 and metadata.autograder.extra_credit; the rubric adds up to the extra credit
    (lambda c: (c[5].metadata.nbgrader.update(points=0), c[5].metadata.update(autograder={"extra_credit": 3})), None),
    (lambda c: c[5].metadata.nbgrader.update(points=0),
     "(markdown answer_why): grade cell needs positive points, has 0"),
    (lambda c: c[5].metadata.update(autograder={"extra_credit": 3}),
     "extra credit (metadata.autograder.extra_credit) is for test cells and written answers with nbgrader points 0"),
    (lambda c: (c[5].metadata.nbgrader.update(points=0), c[5].metadata.update(autograder={"extra_credit": 1})),
     "marking scheme its awards add up to 3 points, the answer is worth 1"),
])
def test_each_rule_names_the_cell(tmp_path, mutate, expected):
    cells = good_cells()
    mutate(cells)
    found = messages(write(tmp_path, cells))
    if expected is None:
        assert found == []
    else:
        assert any(expected in m for m in found), found
        assert all("cell " in m for m in found), found


def test_kernel_must_be_generic(tmp_path):
    found = messages(write(tmp_path, good_cells(), kernel="conda-env-dl-py"))
    assert any("generic 'python3'" in m for m in found)


def test_broken_file_is_a_finding(tmp_path):
    path = tmp_path / "nb.ipynb"
    path.write_text("{not json")
    assert any("not a valid notebook" in m for m in messages(path))


def test_release_leak_is_found(tmp_path):
    source = nbformat.v4.new_notebook(cells=good_cells())
    leaked = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_code_cell("def double(x):\n    return 2 * x"),
        nbformat.v4.new_code_cell("assert double(2) == 4\n    record('double_probe', double(x))"),
    ])
    found = [str(p) for p in rule_release_has_no_secrets(tmp_path / "r.ipynb", leaked, source)]
    assert any("release shows hidden test text: \"record('double_probe', double(x))\"" in m for m in found), found
    clean = nbformat.v4.new_notebook(
        cells=[nbformat.v4.new_code_cell("def double(x):\n    raise NotImplementedError()")])
    assert list(rule_release_has_no_secrets(tmp_path / "r.ipynb", clean, source)) == []


def test_a_release_that_shows_a_marking_scheme_is_rejected(tmp_path):
    source = nbformat.v4.new_notebook(cells=good_cells())
    empty = nbformat.v4.new_markdown_cell("", metadata=meta("rubric_why", locked=True))
    assert list(rule_release_has_no_secrets(tmp_path / "r.ipynb", nbformat.v4.new_notebook(cells=[empty]),
                                            source)) == []
    kept = nbformat.v4.new_markdown_cell(RUBRIC, metadata=meta("rubric_why", locked=True))
    found = [str(p) for p in rule_release_has_no_secrets(tmp_path / "r.ipynb",
                                                         nbformat.v4.new_notebook(cells=[kept]), source)]
    assert any("release keeps text of a marking scheme" in m for m in found), found
    assert any("release still contains 'BEGIN MARK SCHEME'" in m for m in found), found
    # one line of it copied into another cell is found too
    quoted = nbformat.v4.new_markdown_cell("Note: - **+1** 이유를 댐")
    found = [str(p) for p in rule_release_has_no_secrets(tmp_path / "r.ipynb",
                                                         nbformat.v4.new_notebook(cells=[quoted]), source)]
    assert found == [], found   # not a whole line of the scheme: fine
    quoted.source = "- **+1** 이유를 댐"
    found = [str(p) for p in rule_release_has_no_secrets(tmp_path / "r.ipynb",
                                                         nbformat.v4.new_notebook(cells=[quoted]), source)]
    assert any("release shows mark scheme text" in m for m in found), found


def course_check(cwd: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "course.cli", "check", *args], cwd=cwd,
                          capture_output=True, text=True, timeout=600)


def test_course_check_static_passes_on_the_course():
    run = course_check(ROOT, "--static")
    assert run.returncode == 0, run.stdout + run.stderr
    assert "all notebooks pass" in run.stdout


@pytest.mark.slow
def test_course_check_passes_on_the_course():
    """Every rule, the run of each blank release in the grader's sandbox included: no hidden test
    of the course passes on a notebook nobody answered."""
    run = course_check(ROOT)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "all notebooks pass" in run.stdout


# A hidden test that catches every error itself records the stub's NotImplementedError as an
# outcome, so the cell runs without error on the blank release.
SWALLOWING_TEST = """# hidden tests only: a visible call of the stub would fail the cell on its own
### BEGIN HIDDEN TESTS
for _x in probe_rng("triple").integers(-9, 9, size=4).tolist():
    try:
        _result = {"returned": triple(_x)}
    except Exception as _error:
        _result = {"raised": type(_error).__name__}
    record("triple_probe", _result)
### END HIDDEN TESTS"""
# The same test as the course writes it: the stub's error is passed on, so the blank cell fails.
PASSING_ON_TEST = SWALLOWING_TEST.replace(
    "    except Exception", "    except NotImplementedError:\n        raise\n    except Exception")
# A hidden test that calls the student's code only through outcome(): outcome() lets the
# stub's NotImplementedError through, so this one fails on the blank release too.
OUTCOME_ONLY_TEST = """### BEGIN HIDDEN TESTS
record("triple_text", outcome(triple, "a"))
record("triple_probe", outcome(triple, 3))
### END HIDDEN TESTS"""


def toy_course_with_triple(folder: Path, test_source: str) -> Path:
    """The toy course with one more question whose test cell is test_source."""
    course = make_toy_course(folder)
    path = course / "source" / "toy" / "toy.ipynb"
    nb = nbformat.read(path, as_version=4)
    nb.cells[2].source = "import os, time\n" + standin.block()   # the set-up cell as `course new` writes it
    nb.cells += [
        nbformat.v4.new_code_cell("def triple(x):\n    ### BEGIN SOLUTION\n    return 3 * x\n    ### END SOLUTION",
                                  metadata=meta("triple", solution=True)),
        nbformat.v4.new_code_cell(test_source, metadata=meta("test_triple_values", grade=True, locked=True,
                                                             points=1)),
    ]
    nbformat.write(nb, path)
    build_all(course)
    return course


@pytest.mark.slow
def test_check_rejects_a_hidden_test_that_passes_on_the_blank_release(tmp_path):
    course = toy_course_with_triple(tmp_path / "course", SWALLOWING_TEST)
    run = course_check(course)
    assert run.returncode == 1, run.stdout + run.stderr
    found = [line for line in run.stdout.splitlines() if "blank release" in line]
    # named by release notebook and cell (the release has one narrative cell fewer than the source:
    # one language); the toy's own tests, which call their code directly, pass
    assert len(found) == 1, run.stdout
    # cell 8 of the release: the Colab link comes first (course/colab.py)
    assert found[0].startswith("release/ko/toy/toy.ipynb: cell 8 (code test_triple_values): "
                               "its hidden tests ran without error on the blank release notebook"), found
    # the lint alone cannot see it: only running the blank notebook does
    assert course_check(course, "--static").returncode == 0


@pytest.mark.slow
@pytest.mark.parametrize("test_source", [PASSING_ON_TEST, OUTCOME_ONLY_TEST], ids=["re-raises", "outcome-only"])
def test_check_accepts_hidden_tests_that_fail_on_the_blank_release(tmp_path, test_source):
    course = toy_course_with_triple(tmp_path / "course", test_source)
    run = course_check(course)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "all notebooks pass" in run.stdout


@pytest.mark.parametrize("region, found", [
    ("def _brute(x):\n    return 2 * x\nrecord('d', double(3))", "defines a function"),
    ("class _Ref:\n    pass", "defines a class"),
    ("_f = lambda x: 2 * x", "defines a lambda"),
    ("assert double(3) == 6", "asserts"),
    ("raise ValueError('x')", "raises"),
    ("try:\n    double(3)\nexcept Exception as _e:\n    raise TypeError('wrong') from _e", "raises"),
    ("_ok = double(3) == 6\nrecord('d', _ok)", "compares values"),
    ("record('d', np.allclose(double(3), 6))", "calls allclose()"),
    ("record('d', math.isclose(double(3), 6))", "calls isclose()"),
])
def test_hidden_tests_that_carry_answers_are_rejected(region, found):
    assert any(found in v for v in hidden_test_violations(region))


def test_a_hidden_test_that_only_draws_calls_and_records_passes():
    region = ("_rng = probe_rng('double')\nfor _ in range(10):\n    _x = int(_rng.integers(-9, 9))\n"
              "    record('double', double(_x), rtol=1e-9)\nrecord('bad', outcome(double, 'a'))")
    assert hidden_test_violations(region) == []


def test_a_bare_re_raise_passes_the_students_error_on_and_is_allowed():
    region = ("try:\n    _r = {'returned': double(3)}\nexcept NotImplementedError:\n    raise\n"
              "except Exception as _e:\n    _r = {'raised': type(_e).__name__}\nrecord('d', _r)")
    assert hidden_test_violations(region) == []


def test_the_rule_runs_on_every_source_notebook(tmp_path):
    cells = good_cells()
    cells[4].source += "\n### BEGIN HIDDEN TESTS\ndef _reference(x):\n    return 2 * x\n### END HIDDEN TESTS"
    problems = check_notebook(write(tmp_path, cells))
    assert any("hidden test defines a function" in p.message and p.index == 4 for p in problems), problems
