"""`course`: the instructor's command line. It only parses arguments and calls the library."""
from __future__ import annotations

import argparse
import sys
import warnings
from pathlib import Path

from autograder.grading.outcomes import Options
from autograder.layout import LANGUAGES, find_course_root
from autograder.sandbox import Limits


def cmd_release(args) -> int:
    from .release import build_all
    langs = LANGUAGES if args.lang == "all" else (args.lang,)
    for path in build_all(find_course_root(), args.assignment, langs):
        print(f"wrote {path}")
    return 0


def cmd_check(args) -> int:
    from .check import check_course
    problems = check_course(find_course_root(), args.assignment, run_blank=not args.static)
    for problem in problems:
        print(problem)
    print(f"{len(problems)} problem(s)" if problems else "all notebooks pass the checks")
    return 1 if problems else 0


def cmd_standin(args) -> int:
    from autograder.layout import assignments, source_notebooks

    from .standin import refresh
    root = find_course_root()
    changed = [p for a in ([args.assignment] if args.assignment else assignments(root))
               for p in source_notebooks(root, a) if refresh(p)]
    for path in changed:
        print(f"rewrote the generated blocks (grader interface, date data) of {path}")
    print(f"{len(changed)} notebook(s) changed" + (": rebuild the release (course release)" if changed else ""))
    return 0


def cmd_new(args) -> int:
    from .scaffold import create_assignment, next_steps
    root = find_course_root()
    for path in create_assignment(root, args.assignment, args.notebook):
        print(f"wrote {path.relative_to(root)}")
    print(next_steps(args.assignment, args.notebook))
    return 0


def cmd_grade(args) -> int:
    root = find_course_root()
    if args.stock:
        from autograder.stock import grade_assignment
        batch = grade_assignment(root, args.assignment, args.student or None)
        print(batch.table)
        for warning in batch.warnings:
            print(f"warning: {warning}")
        print(f"\ngrades: {batch.reports['grades']}\nper question: {batch.reports['questions']}")
        return 0
    from autograder.grading import grade
    from autograder.grading.publish import header_notes, publish, sandbox_line
    options = Options(workers=args.workers, scheduler=args.scheduler, seed=args.seed,
                      cell_timeout=args.cell_timeout, resume=not args.no_resume,
                      limits=Limits(wall_seconds=args.notebook_timeout), warm=not args.cold)
    submissions = Path(args.submissions).resolve() if args.submissions else None
    run = grade(root, args.assignment, submissions, options, args.student or None)
    for note in header_notes(run):
        print(note, file=sys.stderr)
    table, paths = publish(root, run)
    print(table)
    resumed = sum(1 for o in run.outcomes if o.resumed)
    print(f"\n{len(run.outcomes)} notebooks ({resumed} already graded, skipped), "
          f"{len(run.rejected)} submissions rejected, {run.seconds:.1f} s")
    print(sandbox_line(run))
    _print_paths(paths, args.assignment)
    return 0


def cmd_report(args) -> int:
    from autograder.grading.publish import report
    table, paths = report(find_course_root(), args.assignment)
    print(table or f"no graded submission of {args.assignment} in the gradebook")
    print()
    _print_paths(paths, args.assignment)
    return 0


def _print_paths(paths: dict, assignment: str) -> None:
    for name in ("grades", "questions", "lms", "html"):
        print(f"{name + ':':11} {paths[name]}")
    print(f"feedback:   {paths['feedback']}/<student>/{assignment}/")


def cmd_feedback(args) -> int:
    from autograder.reports.feedback import regenerate_feedback
    root = find_course_root()
    pages = regenerate_feedback(root, args.assignment, args.student or None)
    for path in pages:
        print(f"wrote {path.relative_to(root)}")
    print(f"{len(pages)} feedback page(s) written from the gradebook; nothing was graded")
    return 0


def cmd_demo(args) -> int:
    from .demo import run_demo
    root = find_course_root()
    run_demo(root, Path(args.workdir).resolve() if args.workdir else None)
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="course", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("release", help="build release/<lang>/ from source/ with nbgrader")
    p.add_argument("assignment", nargs="?", help="one assignment (default: all)")
    p.add_argument("--lang", choices=(*LANGUAGES, "all"), default="all")
    p.set_defaults(func=cmd_release)

    p = sub.add_parser("check", help="lint source notebooks and releases, and run each blank release to "
                                     "prove its hidden tests fail on it")
    p.add_argument("assignment", nargs="?")
    p.add_argument("--static", action="store_true",
                   help="only read the files: skip running the blank releases in the sandbox (seconds, not a minute)")
    p.set_defaults(func=cmd_check)

    p = sub.add_parser("standin", help="rewrite each source notebook's generated blocks (grader interface, date "
                       "data) from the grader's and the generator's code")
    p.add_argument("assignment", nargs="?")
    p.set_defaults(func=cmd_standin)

    p = sub.add_parser("new", help="create the skeleton of a new assignment: a source notebook that passes "
                                   "`course check`, its example students, a mutant and a variant")
    p.add_argument("assignment", help="NN_lowercase_words, e.g. 05_tiny_language_model")
    p.add_argument("--notebook", help="the notebook's name (default: the assignment's name without its number)")
    p.set_defaults(func=cmd_new)

    p = sub.add_parser("grade", help="grade submissions in sandboxes, scored against the reference")
    p.add_argument("assignment")
    p.add_argument("--submissions", help="an LMS zip of notebooks (default: submitted/<student>/<assignment>/)")
    p.add_argument("--workers", type=int, default=Options.workers,
                   help=f"parallel jobs on this machine (default {Options.workers})")
    p.add_argument("--scheduler", help="address of a Dask scheduler to run the jobs on instead")
    p.add_argument("--seed", help="probe seed (default: a fresh secret one per run)")
    p.add_argument("--cell-timeout", type=float, default=None,
                   help="CPU seconds per cell; a cell may also wait as many seconds without computing, "
                        "and waiting for a busy CPU does not count (default: Execute.timeout in nbgrader_config.py)")
    p.add_argument("--notebook-timeout", type=float, default=Limits.wall_seconds,
                   help=f"seconds for a whole notebook, kernel start included (default {Limits.wall_seconds:g})")
    p.add_argument("--no-resume", action="store_true", help="grade again what the journal says is done")
    p.add_argument("--cold", action="store_true",
                   help="a new sandbox for every notebook instead of one warm sandbox per worker "
                        "(slower by 2-4 s a notebook; see docs/SANDBOX.md)")
    p.add_argument("--student", action="append", help="only this student (repeatable)")
    p.add_argument("--stock", action="store_true",
                   help="plain nbgrader autograde instead (serial, in the student's kernel, not sandboxed; "
                        "it cannot judge hidden tests, so its scores are not grades)")
    p.set_defaults(func=cmd_grade)

    p = sub.add_parser("feedback", help="write the feedback pages again from the gradebook (after grading "
                                        "written answers in formgrader), without grading")
    p.add_argument("assignment")
    p.add_argument("--student", action="append", help="only this student (repeatable)")
    p.set_defaults(func=cmd_feedback)

    p = sub.add_parser("report", help="rebuild the tables, CSV files and report.html of an assignment from the "
                                      "gradebook, without grading (run it after grading written answers in formgrader)")
    p.add_argument("assignment")
    p.set_defaults(func=cmd_report)

    p = sub.add_parser("demo", help="build the release and grade example submissions end to end")
    p.add_argument("--workdir", help="demo course folder (default: build/demo)")
    p.set_defaults(func=cmd_demo)
    return parser


def main(argv: list[str] | None = None) -> int:
    # nbgrader 0.9.6 trips a harmless SQLAlchemy autoflush warning on every autograde
    warnings.filterwarnings("ignore", message=".*not in session.*")
    args = build_parser().parse_args(argv)
    from autograder.datasets import DatasetError
    try:
        return args.func(args)
    except (FileNotFoundError, ValueError, DatasetError) as err:
        print(f"course: {err}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
