"""The coordinator: the one trusted process that plans, dispatches, scores and writes.

`grade()` (run.py) is where `course grade` starts. It plans (plan.py: intake, resume, restore from
the gradebook, hidden tests cut out), runs the reference notebook first and then every submission
as a job (jobs.py: one sandbox each; backends.py: a local pool or Dask), and finishes each one
(finish.py: trusted scoring, then the gradebook, the autograded notebook, the feedback page and
the journal line, in that order). publish.py writes the reports from the gradebook, for the
whole class (also without a run: `course report`).
"""
from .outcomes import GradeRun, NotebookOutcome, Options

__all__ = ["GradeRun", "NotebookOutcome", "Options", "grade"]


def __getattr__(name: str):
    # grade() pulls in nbgrader and the process pool; the CLI reads only Options at start-up
    if name == "grade":
        from .run import grade
        return grade
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
