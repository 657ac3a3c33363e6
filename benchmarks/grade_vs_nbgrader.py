"""Grade one batch with stock `nbgrader autograde` and with `course grade`, side by side.

    python benchmarks/grade_vs_nbgrader.py [--students 42] [--workers 2] [--json out.json]

Both graders get the same submissions (the sample, mutant and variant specs of every
assignment, cycled up to --students) in two fresh copies of the course, one after the
other on this machine. Stock nbgrader runs serially inside each student's own kernel;
`course grade` runs every notebook in a bubblewrap sandbox and scores it against the
reference, once with warm sandboxes (the default: one per worker for many notebooks) and once
with --cold (a new sandbox per notebook). Printed: the three wall times, their ratios, and the
per-notebook overhead of a sandboxed job (sandbox launch, kernel start) on an empty notebook.
"""
from __future__ import annotations

import argparse
import itertools
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from autograder import sandbox  # noqa: E402
from autograder.grading.jobs import Job, run_job  # noqa: E402
from autograder.layout import assignments  # noqa: E402
from course.demo import prepare_course_copy  # noqa: E402
from course.release import build_all  # noqa: E402
from course.specs import catalogue, submit  # noqa: E402


def batch_specs(count: int):
    """(assignment, notebook stem, spec) cycled up to `count` submissions."""
    found = [(assignment, stem, spec) for assignment in assignments(ROOT)
             for _, stem, spec in catalogue(ROOT, assignment)]
    return list(itertools.islice(itertools.cycle(found), count))


def make_course(folder: Path, specs) -> dict[str, list[str]]:
    """A course copy with every submission written; returns students per assignment."""
    prepare_course_copy(ROOT, folder)
    build_all(folder)
    students: dict[str, list[str]] = {}
    for i, (assignment, stem, spec) in enumerate(specs):
        student = f"b{i:03d}-{spec.name}"
        submit(folder, spec, assignment, stem, student)
        students.setdefault(assignment, []).append(student)
    return students


def timed(cmd: list[str], cwd: Path) -> float:
    started = time.perf_counter()
    run = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    if run.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed:\n{run.stdout[-2000:]}\n{run.stderr[-2000:]}")
    return elapsed


def per_notebook_overhead(repeats: int = 5) -> dict[str, float]:
    """Median seconds: a sandbox launch of `python -c pass`, and a whole job on an empty notebook."""
    work = Path(tempfile.mkdtemp(prefix="bench-overhead-"))
    try:
        launches = []
        for _ in range(repeats):
            started = time.perf_counter()
            sandbox.run_sandboxed([sys.executable, "-c", "pass"], work, readonly=sandbox.runtime_paths())
            launches.append(time.perf_counter() - started)
        empty = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("pass")])
        empty.metadata.kernelspec = {"name": "python3", "display_name": "Python 3", "language": "python"}
        jobs = []
        for _ in range(repeats):
            started = time.perf_counter()
            run_job(Job("student", "bench", "bench", "empty", nbformat.writes(empty), "seed", warm=False))
            jobs.append(time.perf_counter() - started)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return {"sandbox_launch_s": statistics.median(launches),
            "empty_notebook_job_s": statistics.median(jobs)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--students", type=int, default=42)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--json", help="also write the figures to this file")
    args = parser.parse_args()

    specs = batch_specs(args.students)
    work = Path(tempfile.mkdtemp(prefix="bench-grade-"))
    bin_dir = Path(sys.executable).parent
    try:
        stock_dir, ours_dir, cold_dir = work / "stock", work / "ours", work / "cold"
        per_assignment = make_course(stock_dir, specs)
        make_course(ours_dir, specs)
        make_course(cold_dir, specs)
        stock = sum(timed([str(bin_dir / "nbgrader"), "autograde", a], stock_dir) for a in per_assignment)
        ours = sum(timed([str(bin_dir / "course"), "grade", a, "--workers", str(args.workers)], ours_dir)
                   for a in per_assignment)
        cold = sum(timed([str(bin_dir / "course"), "grade", a, "--workers", str(args.workers), "--cold"],
                         cold_dir) for a in per_assignment)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    overhead = per_notebook_overhead()
    figures = {"submissions": len(specs), "workers": args.workers, "isolation": sandbox.probe_isolation()[0],
               "stock_nbgrader_s": round(stock, 1), "course_grade_s": round(ours, 1),
               "course_grade_cold_s": round(cold, 1), "speedup": round(stock / ours, 2),
               "warm_over_cold": round(cold / ours, 2),
               **{k: round(v, 3) for k, v in overhead.items()}}
    print(f"{'grader':<34}{'wall s':>8}{'s / notebook':>14}")
    print(f"{'nbgrader autograde (stock, serial)':<34}{stock:>8.1f}{stock / len(specs):>14.2f}")
    print(f"{'course grade (warm sandboxes)':<34}{ours:>8.1f}{ours / len(specs):>14.2f}")
    print(f"{'course grade --cold':<34}{cold:>8.1f}{cold / len(specs):>14.2f}")
    print(f"speed-up: {stock / ours:.2f}x on {len(specs)} submissions, {args.workers} workers, "
          f"isolation {figures['isolation']}; warm sandboxes {cold / ours:.2f}x faster than cold")
    print(f"per-notebook overhead: sandbox launch {overhead['sandbox_launch_s'] * 1000:.0f} ms, "
          f"empty-notebook job (launch + kernel start + executor) {overhead['empty_notebook_job_s']:.2f} s")
    if args.json:
        Path(args.json).write_text(json.dumps(figures, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
