"""The main job: build the release, then grade example submissions end to end.

It works in a course folder of its own (build/demo), so an instructor's real
gradebook and submissions are never touched.
"""
from __future__ import annotations

import shutil
import time
from pathlib import Path

import nbformat

from autograder.publish import header_notes, publish, run_flags
from autograder.runner import Options, grade
from autograder.specs import build_submission, load_spec, write_submission

from .paths import assignments, release_dir, source_notebooks
from .release import build_all

# (student id, sample spec, release language): one of each kind of submission.
DEMO_STUDENTS = (
    ("s01_all_correct", "all_correct", "ko"),
    ("s02_partly_wrong", "fails_hidden_only", "ko"),
    ("s03_crashing", "raises", "ko"),
    ("s04_blank", "blank", "ko"),
    ("s05_english_release", "all_correct", "en"),
)


def samples_dir(root: Path, assignment: str, notebook: str) -> Path:
    return root / "tests" / "submissions" / assignment / notebook / "samples"


def prepare_course_copy(root: Path, workdir: Path) -> Path:
    """A fresh course folder holding this course's config and sources."""
    if workdir.exists():
        shutil.rmtree(workdir)
    workdir.mkdir(parents=True)
    shutil.copy2(root / "nbgrader_config.py", workdir / "nbgrader_config.py")
    shutil.copytree(root / "source", workdir / "source")
    return workdir


def submit_samples(root: Path, workdir: Path, assignment: str) -> list[str]:
    """Write the demo students' notebooks into workdir/submitted/."""
    students = []
    for source_path in source_notebooks(root, assignment):
        source_nb = nbformat.read(source_path, as_version=4)
        for student, sample, lang in DEMO_STUDENTS:
            spec_path = samples_dir(root, assignment, source_path.stem) / f"{sample}.py"
            if not spec_path.exists():
                continue
            release_nb = nbformat.read(release_dir(workdir, lang) / assignment / source_path.name,
                                       as_version=4)
            nb = build_submission(load_spec(spec_path), source_nb, release_nb)
            write_submission(nb, workdir / "submitted" / student / assignment / source_path.name)
            if student not in students:
                students.append(student)
    return students


def run_demo(root: Path, workdir: Path | None = None, echo=print) -> dict[str, object]:
    workdir = workdir or root / "build" / "demo"
    started = time.perf_counter()
    echo("1/3 building the release (ko and en) from source/ ...")
    built = build_all(root)
    echo("    " + ", ".join(str(p.relative_to(root)) for p in built))
    echo(f"2/3 preparing a demo course in {workdir} with example submissions ...")
    prepare_course_copy(root, workdir)
    build_all(workdir)
    runs = {}
    for assignment in assignments(root):
        students = submit_samples(root, workdir, assignment)
        if not students:
            continue
        echo(f"3/3 grading {assignment}: {len(students)} submissions, sandboxed, scored against the reference ...")
        run = grade(workdir, assignment, options=Options(workers=2))
        runs[assignment] = run
        table, paths = publish(workdir, run)
        echo("")
        echo(f"== {assignment} ==")
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
    echo(f"done in {time.perf_counter() - started:.1f} s")
    return runs
