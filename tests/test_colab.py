"""Colab: every release notebook links to its own copy on Colab, and runs where only Colab's packages are.

The link comes from one course setting (nbgrader_config.py, ColabLink.repository and .branch) and
is put in by the release builder (course/colab.py). The run test builds a clean virtual
environment holding only packages a Colab runtime has (torch, numpy, matplotlib, seaborn, pandas,
tqdm, ipykernel, nbclient: neither this project nor nbgrader) and runs every release notebook there
as a student on Colab would: alone in a folder (no dates.tsv beside 02 and 03, so the notebook
makes it), with the grader interface taken from the notebook's own stand-in.
"""
from __future__ import annotations

import ast
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tomllib
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import nbformat
import pytest

from autograder.cells import grade_id
from autograder.datasets import external_files
from autograder.layout import LANGUAGES, assignments, release_dir
from autograder.nbgrader_app import course_config
from course import colab, standin
from course.datasets import dates
from course.specs import build_submission, load_spec

ROOT = Path(__file__).resolve().parents[1]
DRIVER = Path(__file__).with_name("colab_driver.py")
# What a Colab runtime has preinstalled, and all a release notebook may count on.
COLAB_PACKAGES = ("torch", "numpy", "matplotlib", "seaborn", "pandas", "tqdm", "ipykernel", "nbclient", "nbformat")
PROBE = "COLAB-PROBE "


def release_notebooks():
    return [(lang, a, p.stem) for lang in LANGUAGES for a in assignments(ROOT)
            for p in sorted((release_dir(ROOT, lang) / a).glob("*.ipynb"))]


# ---------------------------------------------------------------- the link


def test_every_release_notebook_links_to_its_own_path_on_colab():
    settings = course_config(ROOT).ColabLink
    owner_repo = colab.repository_path(settings.repository)
    found = release_notebooks()
    assert len(found) == 14
    for lang, assignment, notebook in found:
        nb = nbformat.read(release_dir(ROOT, lang) / assignment / f"{notebook}.ipynb", as_version=4)
        links = colab.link_cells(nb)
        assert len(links) == 1 and nb.cells[0] is links[0], f"{lang}/{assignment}/{notebook}: one link, first"
        urls = re.findall(r"\]\((https://[^)\s]+)\)", links[0].source)
        assert urls == [f"https://colab.research.google.com/github/{owner_repo}/blob/{settings.branch}/"
                        f"release/{lang}/{assignment}/{notebook}.ipynb"]
        assert "nbgrader" not in links[0].metadata    # never graded, never in the gradebook
        assert colab.LABEL[lang] in links[0].source


@pytest.mark.parametrize("url, branch, why", [
    ("https://gitlab.com/owner/repo", "main", "GitHub repository URL"),
    ("https://github.com/owner", "main", "GitHub repository URL"),
    ("github.com/owner/repo", "main", "GitHub repository URL"),
    ("https://github.com/owner/repo", "a b", "not a branch name"),
    ("https://github.com/owner/repo", "../main", "not a branch name"),
])
def test_a_bad_course_setting_is_a_clear_error(url, branch, why):
    with pytest.raises(ValueError, match=why):
        colab.colab_url(url, branch, "ko", "01_probability", "probability")


def test_the_link_accepts_the_usual_spellings_of_a_repository():
    for url in ("https://github.com/owner/repo", "https://github.com/owner/repo.git", "https://github.com/owner/repo/"):
        assert colab.colab_url(url, "fall-2026", "en", "04_simple_gpt", "char_gpt") == (
            "https://colab.research.google.com/github/owner/repo/blob/fall-2026/release/en/04_simple_gpt/char_gpt.ipynb")


# ---------------------------------------------------------------- the date data


def run_dates_block(folder: Path) -> str:
    namespace = {}
    exec(standin.dates_block(), namespace)
    return namespace["read_dates_tsv"](folder / "dates.tsv")


def test_a_notebook_without_dates_tsv_makes_the_shipped_file(tmp_path, capsys):
    shipped = [ROOT / "source" / a / "dates.tsv" for a in assignments(ROOT)] + \
              [release_dir(ROOT, lang) / a / "dates.tsv" for lang in LANGUAGES for a in assignments(ROOT)]
    shipped = [p for p in shipped if p.exists()]
    assert len(shipped) == 6   # 02 and 03: the source and both releases
    made = run_dates_block(tmp_path)
    assert "making it with the course's generator" in capsys.readouterr().out
    for path in shipped:
        assert made == path.read_text(encoding="utf-8"), f"{path} is not what the notebook makes"
    assert hashlib.sha256(made.encode()).hexdigest() == standin.dates_sha256()


def test_a_changed_dates_tsv_is_a_clear_error_and_crlf_is_not(tmp_path):
    text = dates.to_tsv(dates.generate())
    (tmp_path / "dates.tsv").write_bytes(text.replace("\n", "\r\n").encode())
    assert run_dates_block(tmp_path) == text
    (tmp_path / "dates.tsv").write_text(text.replace("1994-09-27", "1994-09-28", 1) + "x\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"is not the course's dates.tsv: .*expected .*Delete that file"):
        run_dates_block(tmp_path)


def test_course_check_names_a_stale_date_block_and_standin_repairs_it(tmp_path):
    path = tmp_path / "attention_heatmaps.ipynb"
    shutil.copy(ROOT / "source" / "03_causal_multihead_attention" / path.name, path)
    assert standin.problem(nbformat.read(path, as_version=4)) is None
    nb = nbformat.read(path, as_version=4)
    cell = standin.setup_cell(nb, standin.DATES_CELL)
    cell.source = cell.source.replace("DEFAULT_SEED = 927", "DEFAULT_SEED = 928")
    nbformat.write(nb, path)
    assert standin.problem(nbformat.read(path, as_version=4)) == (
        "the setup_dates cell's date data block is out of date (run `course standin`)")
    assert standin.refresh(path)
    assert standin.problem(nbformat.read(path, as_version=4)) is None


# ---------------------------------------------------------------- running on a Colab-like runtime


def colab_pins() -> list[str]:
    """The project's own pins of the packages Colab has (pyproject.toml), so the run is repeatable."""
    deps = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["dependencies"]
    pins = {re.split(r"[=<>~ \[]", d, maxsplit=1)[0].lower(): d for d in deps}
    missing = [p for p in COLAB_PACKAGES if p not in pins]
    assert not missing, f"pyproject.toml pins no version of {missing}"
    return [pins[p] for p in COLAB_PACKAGES]


@pytest.fixture(scope="session")
def colab_python() -> Path:
    """The Python of a clean venv with only COLAB_PACKAGES, kept under build/ by its pins and Python
    version (building one takes about a minute: torch comes from the local wheel)."""
    pins = colab_pins()
    key = hashlib.sha256(json.dumps([sys.version, pins]).encode()).hexdigest()[:12]
    venv = ROOT / "build" / f"colab-venv-{key}"
    python = venv / "bin" / "python"
    if not (venv / ".complete").exists():
        shutil.rmtree(venv, ignore_errors=True)
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        # --no-compile: byte-compiling torch's sources would double the time; the kernel compiles what it imports.
        install = subprocess.run([str(python), "-m", "pip", "install", "--quiet", "--no-compile", *pins],
                                 env={k: v for k, v in os.environ.items() if k != "PYTHONPATH"},
                                 capture_output=True, text=True)
        assert install.returncode == 0, f"pip could not build the Colab-like environment:\n{install.stderr[-3000:]}"
        (venv / ".complete").write_text("\n".join(pins) + "\n", encoding="utf-8")
    return python


def with_probe(nb):
    """The notebook with a last cell that reports what the run could import and where record() came from."""
    nb = nbformat.from_dict(json.loads(nbformat.writes(nb)))
    nb.cells.append(nbformat.v4.new_code_cell(
        "import importlib.util as _u, json as _j, sys as _s\n"
        f"print({PROBE!r} + _j.dumps({{\n"
        "    'project': [m for m in ('autograder', 'course', 'nbgrader') if _u.find_spec(m)],\n"
        "    'record': getattr(globals().get('record'), '__module__', None), 'python': _s.executable}))"))
    return nb


def errors(executed) -> list[tuple[int, str, str]]:
    """(cell index, exception name, its value) of every cell that raised."""
    return [(i, out.ename, out.evalue) for i, cell in enumerate(executed.cells) if cell.cell_type == "code"
            for out in cell.get("outputs", []) if out.output_type == "error"]


def probe(executed) -> dict:
    text = "".join(o.get("text", "") for o in executed.cells[-1].get("outputs", []) if o.output_type == "stream")
    assert text.startswith(PROBE), f"the probe cell did not run: {executed.cells[-1].get('outputs')}"
    return json.loads(text[len(PROBE):])


def defined_names(source: str) -> set[str]:
    """Every name a cell's code could bind, at any depth (an assignment under `if`, a def, an import)."""
    try:
        tree = ast.parse("\n".join("" if line.lstrip().startswith(("%", "!")) else line
                                    for line in source.splitlines()))
    except SyntaxError:
        return set()
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            names.add(node.id)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            names |= {(a.asname or a.name).split(".")[0] for a in node.names}
    return names


def blank_error_allowed(nb, index: int, ename: str, evalue: str, undone: set[str]) -> bool:
    """A blank notebook may fail in an exercise or test cell, and in a cell that calls what an exercise
    leaves undone: the stub's NotImplementedError, or a name that an exercise cell, or a cell that
    failed before, would have defined (`undone`)."""
    meta = nb.cells[index].metadata.get("nbgrader", {})
    if meta.get("solution") or meta.get("grade"):
        return True
    if ename == "NotImplementedError":
        return True
    name = re.match(r"name '(\w+)' is not defined", evalue)
    return ename == "NameError" and bool(name) and name.group(1) in undone


def blank_problems(executed, source_nb) -> list[str]:
    undone = set().union(*(defined_names(c.source) for c in source_nb.cells
                           if c.cell_type == "code" and c.metadata.get("nbgrader", {}).get("solution")))
    found, failed = [], set()
    for index, ename, evalue in errors(executed):
        cell = executed.cells[index]
        if not blank_error_allowed(executed, index, ename, evalue, undone | failed):
            found.append(f"cell {index} ({grade_id(cell) or 'no grade id'}) raised {ename}: {evalue[:200]}")
        failed |= defined_names(cell.source)
    return found + ([] if errors(executed) else ["the blank release ran without a single error"])


def runs() -> list[tuple[str, str, str, str]]:
    """(kind, lang, assignment, notebook): each of the 14 release notebooks runs once, the blank release
    of one language and the all-correct submission of the other, alternating. The two languages' code
    cells are the same (checked here and by tests/test_release.py), so one run per kind and notebook
    covers both, in half the time."""
    pairs = sorted({(a, n) for _, a, n in release_notebooks()})
    return [(kind, LANGUAGES[(i + k) % 2], a, n) for i, (a, n) in enumerate(pairs)
            for k, kind in enumerate(("blank", "all_correct"))]


def test_the_blank_rule_lets_undone_exercises_fail_and_nothing_else():
    """What the Colab-like run asserts on a blank release, shown on outputs put in by hand."""
    source_nb = nbformat.read(ROOT / "source" / "02_attention_from_scratch" / "attention_layers_numpy.ipynb",
                              as_version=4)
    nb = nbformat.read(release_dir(ROOT, "en") / "02_attention_from_scratch" / "attention_layers_numpy.ipynb",
                       as_version=4)

    def fail(gid: str, ename: str, evalue: str):
        cell = next(c for c in nb.cells if grade_id(c) == gid)
        cell.outputs = [nbformat.v4.new_output("error", ename=ename, evalue=evalue, traceback=[])]

    fail("test_softmax_visible", "AssertionError", "wrong")                       # a test cell
    fail("train_seq2seq", "NotImplementedError", "")                              # calls a stub
    fail("evaluate_seq2seq", "NameError", "name 'model' is not defined")  # train_seq2seq defines it
    assert blank_problems(nb, source_nb) == []
    fail("setup_dates", "FileNotFoundError", "dates.tsv is missing")
    assert blank_problems(nb, source_nb) == [
        f"cell {nb.cells.index(standin.setup_cell(nb, 'setup_dates'))} (setup_dates) raised FileNotFoundError: "
        "dates.tsv is missing"]


@pytest.mark.slow
def test_every_release_notebook_runs_on_a_colab_like_runtime(colab_python, tmp_path):
    """Blank release: errors only in exercise and test cells (and cells calling undone exercises);
    the all-correct submission (examples/<a>/<nb>/all_correct.py): no error at all. Both with the
    notebooks' stand-in for the grader interface, since the project cannot be imported there.

    The all-correct notebooks run with NBGRADER_EXECUTION set, the grading-length setting: their
    training shrinks to seconds (in full student mode char_gpt alone trains for minutes). Every
    cell still runs; only the number of training steps and a few figures differ.
    Tiny shakespeare reaches char_gpt as it would on Colab after its download, an input.txt beside
    the notebook (the blank run), or through TINYSHAKESPEARE_PATH (the all-correct run).
    """
    shakespeare = external_files(ROOT, "04_simple_gpt")["input.txt"]
    (tmp_path / "home").mkdir()
    clean_env = {"PATH": f"{colab_python.parent}{os.pathsep}/usr/bin{os.pathsep}/bin", "HOME": str(tmp_path / "home"),
                 "PYTHONNOUSERSITE": "1", "JUPYTER_DATA_DIR": str(tmp_path / "jupyter"), "LANG": "C.UTF-8",
                 "MPLBACKEND": "agg", "OMP_NUM_THREADS": "1"}
    jobs, expected = [], {}
    for kind, lang, assignment, notebook in runs():
        release_nb = nbformat.read(release_dir(ROOT, lang) / assignment / f"{notebook}.ipynb", as_version=4)
        other = nbformat.read(release_dir(ROOT, LANGUAGES[1 - LANGUAGES.index(lang)]) / assignment
                              / f"{notebook}.ipynb", as_version=4)
        assert [c.source for c in release_nb.cells if c.cell_type == "code"] == \
               [c.source for c in other.cells if c.cell_type == "code"], f"{assignment}/{notebook}: code differs"
        source_nb = nbformat.read(ROOT / "source" / assignment / f"{notebook}.ipynb", as_version=4)
        env = dict(clean_env)
        if kind == "blank":
            nb = release_nb
        else:
            nb = build_submission(load_spec(ROOT / "examples" / assignment / notebook / "all_correct.py"),
                                  source_nb, release_nb)
            env["NBGRADER_EXECUTION"] = "autograde"
        folder = tmp_path / lang / assignment / notebook / kind
        (folder / "home").mkdir(parents=True)
        env["HOME"] = str(folder / "home")
        if notebook == "char_gpt":
            if kind == "blank":
                shutil.copy(shakespeare, folder / "input.txt")
            else:
                env["TINYSHAKESPEARE_PATH"] = str(shakespeare)
        path = folder / f"{notebook}.ipynb"
        nbformat.write(with_probe(nb), path)
        jobs.append({"notebook": str(path), "output": str(folder / "executed.ipynb"), "cwd": str(folder),
                     "env": env, "timeout": 300})
        expected[jobs[-1]["output"]] = (lang, assignment, notebook, kind, source_nb)
    # One driver per notebook, two at a time (two cores): whichever finishes takes the next.
    def run(index: int):
        jobs_file = tmp_path / f"job{index}.json"
        jobs_file.write_text(json.dumps([jobs[index]]), encoding="utf-8")
        return subprocess.run([str(colab_python), "-I", str(DRIVER), str(jobs_file)], cwd=tmp_path, env=clean_env,
                              capture_output=True, text=True, timeout=900)

    with ThreadPoolExecutor(2) as pool:
        finished = list(pool.map(run, range(len(jobs))))
    assert all(r.returncode == 0 for r in finished), [r.stderr[-2000:] for r in finished if r.returncode]

    problems = []
    for output, (lang, assignment, notebook, kind, source_nb) in expected.items():
        where = f"{lang}/{assignment}/{notebook} ({kind})"
        if Path(output + ".error").exists():
            problems.append(f"{where}: did not finish: {Path(output + '.error').read_text()[-600:]}")
            continue
        executed = nbformat.read(output, as_version=4)
        facts = probe(executed)
        if facts["project"]:
            problems.append(f"{where}: the runtime could import {facts['project']}")
        if Path(facts["python"]).parent != colab_python.parent:
            problems.append(f"{where}: the kernel ran {facts['python']}, not the clean environment's Python")
        if facts["record"] != "__main__":
            problems.append(f"{where}: record() came from {facts['record']}, not the notebook's stand-in")
        if kind == "all_correct":
            problems += [f"{where}: cell {i} ({grade_id(executed.cells[i]) or 'no grade id'}) raised {ename}: "
                         f"{evalue[:200]}" for i, ename, evalue in errors(executed)]
        else:
            problems += [f"{where}: {why}" for why in blank_problems(executed, source_nb)]
    assert problems == []
