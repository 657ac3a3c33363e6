"""Wall time of every notebook run as a student runs it, next to its budget and its own claim.

    python benchmarks/student_mode.py [--notebook NAME ...] [--lang en|ko] [--json out.json]

A student opens the release notebook, fills in the answers and runs it from top to bottom in a
fresh kernel, with `NBGRADER_EXECUTION` unset (the full-length training and demos, figures
drawn). This script does the same for each of the seven notebooks, one after the other: the
release notebook with the course's correct answers filled in (examples/<a>/<nb>/all_correct.py,
the same notebook the grader's tests hand in), alone in a copy of its release folder, run by
nbclient in a Jupyter kernel of this Python.

Printed for each notebook: the wall time of the whole run, the course's budget for it
(BUDGET_MINUTES, on a quiet 2-core machine) and the run time the notebook itself promises in its
first cell ("Expected run time: under N minutes"), each as a ratio; for char_gpt also the step
at which the validation loss first reached 2.0 (training stops there). The script exits with 1
when a notebook fails, runs over its budget or its own promise, or char_gpt misses 2.0.

Run it on a quiet machine: the load average is printed before each notebook, and a loaded
machine measures the load, not the notebook.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import sys
import tempfile
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from autograder import datasets  # noqa: E402
from autograder.grading.jobs import SINGLE_THREAD_VARS  # noqa: E402
from autograder.kernel.evidence import EVIDENCE_FILE_ENV, PROBE_SEED_ENV  # noqa: E402
from autograder.layout import release_dir  # noqa: E402
from course.specs import build_submission, load_spec  # noqa: E402

# (assignment, notebook) -> minutes on a quiet 2-core machine
BUDGET_MINUTES = {
    ("01_probability", "probability"): 1,
    ("02_attention_from_scratch", "attention_layers_numpy"): 3,
    ("02_attention_from_scratch", "self_attention"): 3,
    ("03_causal_multihead_attention", "causal_attention"): 3,
    ("03_causal_multihead_attention", "attention_heatmaps"): 5,
    ("04_simple_gpt", "simple_gpt"): 4,
    ("04_simple_gpt", "char_gpt"): 6,
}
# The promise each notebook makes in its first cell, in both languages.
CLAIM_RE = {
    "en": re.compile(r"Expected run time: under (\d+) minutes?"),
    "ko": re.compile(r"예상 실행 시간: (\d+)분 이내"),
}
REACHED_RE = re.compile(r"val loss <= 2\.0 at step (\d+), after ([\d.]+) s")
# Variables a grading run sets and a student's machine does not have.
GRADER_ENV = ("NBGRADER_EXECUTION", EVIDENCE_FILE_ENV, PROBE_SEED_ENV, *SINGLE_THREAD_VARS)


def claimed_minutes(nb, lang: str) -> int | None:
    """The run time the notebook's first cell in `lang` promises, in minutes."""
    for cell in nb.cells:
        if cell.cell_type == "markdown" and f"lang:{lang}" in cell.metadata.get("tags", []):
            found = CLAIM_RE[lang].search(cell.source)
            return int(found.group(1)) if found else None
    return None


def student_notebook(assignment: str, notebook: str, lang: str):
    source = nbformat.read(ROOT / "source" / assignment / f"{notebook}.ipynb", as_version=4)
    release = nbformat.read(release_dir(ROOT, lang) / assignment / f"{notebook}.ipynb", as_version=4)
    spec = load_spec(ROOT / "examples" / assignment / notebook / "all_correct.py")
    return build_submission(spec, source, release)


def student_env(folder: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in GRADER_ENV}
    env.update(MPLBACKEND="agg", HOME=str(folder / "home"))
    return env


def point_at_data(assignment: str, env: dict[str, str]) -> None:
    """The data a student's notebook downloads, found as the grader finds it (so no download here)."""
    for found in datasets.declared(ROOT, assignment):
        if found.env:
            env[found.env] = str(datasets.locate(found))


def text_outputs(nb) -> str:
    return "".join(o.get("text", "") for c in nb.cells if c.cell_type == "code"
                   for o in c.get("outputs", []) if o.output_type == "stream")


def run_one(assignment: str, notebook: str, lang: str) -> dict:
    nb = student_notebook(assignment, notebook, lang)
    claim = claimed_minutes(nb, lang)
    with tempfile.TemporaryDirectory(prefix="student-mode-") as tmp:
        folder = Path(tmp) / assignment
        shutil.copytree(release_dir(ROOT, lang) / assignment, folder)
        (folder / "home").mkdir()
        env = student_env(folder)
        point_at_data(assignment, env)
        saved = dict(os.environ)
        os.environ.clear()
        os.environ.update(env)   # the kernel inherits this process's environment
        try:
            started = time.perf_counter()
            error = None
            try:
                NotebookClient(nb, timeout=1800, kernel_name="python3",
                               resources={"metadata": {"path": str(folder)}}).execute()
            except Exception as err:   # report, and go on with the next notebook
                error = f"{type(err).__name__}: {str(err).strip().splitlines()[-1][:300] if str(err).strip() else ''}"
            seconds = time.perf_counter() - started
        finally:
            os.environ.clear()
            os.environ.update(saved)
    budget = BUDGET_MINUTES[(assignment, notebook)] * 60
    result = {"assignment": assignment, "notebook": notebook, "seconds": round(seconds, 1),
              "budget_seconds": budget, "claim_seconds": claim * 60 if claim else None, "error": error}
    if notebook == "char_gpt":
        reached = REACHED_RE.search(text_outputs(nb))
        result["reached_2.0"] = {"step": int(reached.group(1)), "seconds": float(reached.group(2))} if reached else None
    return result


def problems(result: dict) -> list[str]:
    found = []
    if result["error"]:
        found.append(f"failed: {result['error']}")
    if result["seconds"] > result["budget_seconds"]:
        found.append("over its budget")
    if result["claim_seconds"] is None:
        found.append("its first cell states no expected run time")
    elif result["seconds"] > result["claim_seconds"]:
        found.append("slower than its first cell promises")
    if result["notebook"] == "char_gpt" and not result.get("reached_2.0"):
        found.append("validation loss never reached 2.0")
    return found


def load_average() -> str:
    try:
        return " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "unknown"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--notebook", action="append", help="only these notebooks (by name, e.g. char_gpt)")
    parser.add_argument("--lang", choices=sorted(CLAIM_RE), default="en")
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args(argv)
    chosen = [key for key in BUDGET_MINUTES if not args.notebook or key[1] in args.notebook]
    if not chosen:
        parser.error(f"no notebook named {args.notebook}; choose from {[n for _, n in BUDGET_MINUTES]}")
    print(f"student mode, {args.lang} release, {platform.python_version()}, {os.cpu_count()} CPUs")
    results, failed = [], False
    print(f"{'notebook':<24} {'seconds':>8} {'budget':>7} {'ratio':>6} {'claim':>6} {'ratio':>6}  load before")
    for assignment, notebook in chosen:
        load = load_average()
        result = run_one(assignment, notebook, args.lang)
        results.append(result)
        claim = result["claim_seconds"]
        line = (f"{notebook:<24} {result['seconds']:8.1f} {result['budget_seconds']:7d} "
                f"{result['seconds'] / result['budget_seconds']:6.2f} {claim or '-':>6} "
                f"{result['seconds'] / claim if claim else float('nan'):6.2f}  {load}")
        reached = result.get("reached_2.0")
        if reached:
            line += f"\n{'':<24} val loss 2.0 at step {reached['step']}, after {reached['seconds']:.1f} s of training"
        for problem in problems(result):
            failed = True
            line += f"\n{'':<24} PROBLEM: {problem}"
        print(line, flush=True)
    if args.json:
        args.json.write_text(json.dumps({"python": platform.python_version(), "cpus": os.cpu_count(),
                                         "lang": args.lang, "results": results}, indent=2) + "\n")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
