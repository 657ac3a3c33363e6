"""The main job: build the release, then grade example submissions end to end.

It works in a course folder of its own (build/demo), so an instructor's real
gradebook and submissions are never touched. Its students are the course's example
submissions, examples/<assignment>/<notebook>/<name>.py (spec files, see course/specs.py):
every notebook needs at least all_correct.py and blank.py; fails_hidden_only.py (partly wrong)
and raises.py (crashing) are shown where they exist, and every notebook of this course has them,
so each assignment shows five students. What it prints fits a terminal of 100 columns
(autograder/reports/tables.py::terminal_table); every question is in the CSV files and report.html.
"""
from __future__ import annotations

import shutil
import textwrap
import time
from pathlib import Path

from autograder.grading import GradeRun, Options, grade
from autograder.grading.backends import LocalPool
from autograder.grading.publish import header_notes, publish, run_flags, sandbox_line
from autograder.layout import assignments, source_notebooks

from .release import build_all
from .specs import EXAMPLES, load_spec, spec_folder, submit

REQUIRED_EXAMPLES = ("all_correct", "blank")
# what the demo's grading takes on a busy 2-core machine (README.md, "The two commands")
EXPECTED_MINUTES = 2
# (student id, example spec, release language): one of each kind of submission.
DEMO_STUDENTS = (
    ("s01_all_correct", "all_correct", "ko"),
    ("s02_partly_wrong", "fails_hidden_only", "ko"),
    ("s03_crashing", "raises", "ko"),
    ("s04_blank", "blank", "ko"),
    ("s05_english_release", "all_correct_en", "en"),
)


# Appended to the copied nbgrader_config.py: a course whose gradebook is a shared database
# (c.CourseDirectory.db_url, PostgreSQL) must not get the copy's releases and example students.
OWN_GRADEBOOK = ("\n# this copy keeps its own gradebook (gradebook.db in its folder), whatever the course uses\n"
                 'c.CourseDirectory.pop("db_url", None)\n')


def prepare_course_copy(root: Path, workdir: Path) -> Path:
    """A fresh course folder holding this course's config and sources, with a gradebook of its own."""
    if workdir.exists():
        shutil.rmtree(workdir)
    workdir.mkdir(parents=True)
    config = (root / "nbgrader_config.py").read_text(encoding="utf-8")
    (workdir / "nbgrader_config.py").write_text(config + OWN_GRADEBOOK, encoding="utf-8")
    shutil.copytree(root / "source", workdir / "source")
    if (root / EXAMPLES).is_dir():
        shutil.copytree(root / EXAMPLES, workdir / EXAMPLES)
    return workdir


def submit_samples(workdir: Path, assignment: str) -> list[str]:
    """Write the demo students' notebooks into workdir/submitted/ (workdir holds a copy of the
    course, release built). A notebook without the required examples is an error, not a skip."""
    students = []
    for source_path in source_notebooks(workdir, assignment):
        folder = spec_folder(workdir, assignment, source_path.stem, "samples")
        missing = [name for name in REQUIRED_EXAMPLES if not (folder / f"{name}.py").is_file()]
        if missing:
            raise ValueError(f"{folder}: the demo needs the example submissions {', '.join(missing)} "
                             f"(.py spec files; `course new` creates them for a new assignment)")
        for student, sample, lang in DEMO_STUDENTS:
            spec_path = folder / f"{sample}.py"
            if not spec_path.exists() and sample == "all_correct_en":
                spec_path = folder / "all_correct.py"   # the same answers, handed in on the English release
            if not spec_path.exists():
                continue
            spec = load_spec(spec_path)
            spec.lang = lang
            submit(workdir, spec, assignment, source_path.stem, student)
            if student not in students:
                students.append(student)
    return students


def run_demo(root: Path, workdir: Path | None = None, echo=print) -> dict[str, object]:
    workdir = workdir or root / "build" / "demo"
    started = time.perf_counter()
    echo("1/3 building the release (ko and en) from source/ ...")
    built = build_all(root)
    echo(textwrap.fill(", ".join(str(p.relative_to(root)) for p in built), width=100,
                       initial_indent="    ", subsequent_indent="    "))
    echo(f"2/3 preparing a demo course in {workdir} with example submissions "
         f"(grading them takes about {EXPECTED_MINUTES} minutes on 2 cores) ...")
    prepare_course_copy(root, workdir)
    build_all(workdir)
    runs = {}
    options = Options()
    # one pool for the four runs: its workers start once, and keep one warm sandbox for all of them
    pool = LocalPool(options.workers)
    try:
        for assignment in assignments(root):
            runs[assignment] = _grade_and_show(workdir, assignment, options, pool, echo)
    finally:
        pool.close()
    echo(f"done in {time.perf_counter() - started:.1f} s")
    return runs


def _grade_and_show(workdir: Path, assignment: str, options: Options, pool: LocalPool, echo) -> GradeRun:
    """Grade the demo students' notebooks of one assignment, publish the reports, print the summary."""
    students = submit_samples(workdir, assignment)
    echo(f"3/3 grading {assignment}: {len(students)} submissions, sandboxed, scored against the reference ...")
    run = grade(workdir, assignment, options=options, pool=pool)
    table, paths = publish(workdir, run)
    echo("")
    echo(f"== {assignment} ==")
    echo(sandbox_line(run))
    for note in header_notes(run):
        echo(note)
    echo(table)
    flags = run_flags(run)
    echo(f"\n{len(flags)} flag(s) for the instructor" + (":" if flags else ""))
    for who, what in flags:
        echo(f"  {who}: {what}")
    echo("")
    for name in ("grades", "questions", "lms", "html"):
        echo(f"{name + ':':11} {paths[name]}")
    echo(f"feedback:   {paths['feedback']}/<student>/{assignment}/")
    return run
