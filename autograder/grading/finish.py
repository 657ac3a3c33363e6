"""After a sandbox run: the reference's answer key, and one submission scored, then written."""
from __future__ import annotations

import copy
import time
from pathlib import Path

import nbformat

from ..cells import grade_id, hidden_secrets
from ..reports.feedback import copy_exchange_files, feedback_record, sanitize_markdown, save_record, write_feedback
from ..trusted import Reference, build_reference, kernel_verdicts, parse_evidence, score
from ..trusted.hostile import clean_status, executed_cells
from . import gradebook
from .jobs import Job, JobOutput
from .journal import Journal
from .outcomes import GradeRun, NotebookOutcome
from .plan import Planned


def reference_from(job: Job, output: JobOutput | str, nbs: dict, run: GradeRun) -> Reference:
    """The reference's evidence; a reference that failed, stopped early or ran out of time is an
    infrastructure failure: nobody is scored against it."""
    failure = None
    if isinstance(output, str) or output.error:
        failure = output if isinstance(output, str) else output.error
    elif output.timed_out:
        failure = "the reference run ran out of time"
    elif not output.status.get("finished"):
        failure = f"the reference run stopped early ({output.status.get('stop_reason') or 'its kernel died'})"
    else:
        broken = [e for e in output.status["cells"] if e["status"] != "ok"]
        if broken:
            cells = nbs[job.notebook].cells
            cell = cells[broken[0]["index"]] if broken[0]["index"] < len(cells) else {}
            what = "ran out of time" if broken[0]["status"] == "timeout" else "raised"
            failure = (f"the reference run stopped early: cell {broken[0]['index']} "
                       f"({grade_id(cell) or 'no grade id'}) {what}")
    if failure:
        run.reference_problems.append(f"{job.notebook}: {failure}: nobody was graded on this notebook")
        return Reference(parse_evidence(b""), {}, {}, [failure], failed=True, failure=f"{job.notebook}: {failure}")
    reference = build_reference(nbs[job.notebook], output.status, output.evidence)
    run.reference_problems += [f"{job.notebook}: {p}" for p in reference.problems]
    return reference


def with_outputs(nb, cells: list[dict] | None):
    """A copy of nb with the (already cleaned) outputs of the executed cells; none if None."""
    result = copy.deepcopy(nb)
    for cell, executed in zip(result.cells, cells or [None] * len(result.cells)):
        if cell.cell_type != "code":
            continue
        cell.outputs = [nbformat.from_dict(o) for o in executed["outputs"]] if executed else []
        cell.execution_count = executed["execution_count"] if executed else None
    return result


def _graded_before(path: Path):
    """The autograded copy of an earlier run (what formgrader showed a grader), or None."""
    try:
        return nbformat.read(path, as_version=4)
    except (OSError, ValueError):
        return None


def finish(root: Path, run: GradeRun, item: Planned, output: JobOutput, reference: Reference,
            journal: Journal | None) -> NotebookOutcome:
    """Score one executed submission and write what follows from it. Everything is computed
    before anything is written, so a failure here leaves no half-written grade; the feedback page
    comes last, made from what was written (`course feedback` makes it again at any time).
    No journal: the run is not recorded as done (a partial run, see Options.last_cell)."""
    outcome = NotebookOutcome(item.student, item.notebook, notes=list(item.tampering) + list(output.notes))
    if journal is None:
        outcome.notes.append("graded up to one cell, as asked: the cells after it were not run")
    sent_shape = [(c.cell_type, c.source) for c in item.sent.cells]
    cells = executed_cells(output.executed, sent_shape)
    status = output.status if cells is not None else clean_status(None)
    stopped, reason = status.get("stopped_at"), status.get("stop_reason")
    if stopped is None and status["cells"] and not status.get("finished") and status.get("running") is not None:
        stopped, reason = status["running"], "the kernel died"   # the process ended inside this cell
    if output.timed_out:
        outcome.notes.append("the notebook ran out of time and was stopped; earlier cells keep their points")
    if isinstance(stopped, int):
        cell = item.restored.cells[stopped] if 0 <= stopped < len(item.restored.cells) else None
        name = (grade_id(cell) or cell.get("id")) if cell is not None else stopped
        outcome.notes.append(f"{reason or 'stopped'} in cell {stopped} ({name}); earlier cells keep their points")
    if output.warning:
        outcome.notes.append(output.warning)
    autograded = sanitize_markdown(with_outputs(item.restored, cells))
    outcome.verdicts = score(reference, parse_evidence(output.evidence), kernel_verdicts(autograded, status))
    record = feedback_record(with_outputs(item.sent, cells), outcome.verdicts, outcome.notes,
                             hidden_ids={grade_id(item.restored.cells[i]) for i, _ in item.hidden},
                             secrets=hidden_secrets(item.restored.cells, item.released.cells))
    target = root / "autograded" / item.student / run.assignment / f"{item.notebook}.ipynb"
    changed = gradebook.changed_answers(_graded_before(target), autograded)
    gradebook.write_scores(root, run.assignment, item.notebook, item.student, outcome.verdicts, item.restored,
                           changed)
    target.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(autograded, target)
    copy_exchange_files(root / "submitted" / item.student / run.assignment, target.parent)
    # the page is made from what was just written (the record, the gradebook), as `course feedback` makes it
    save_record(root, run.assignment, item.student, item.notebook, record)
    write_feedback(root, run.assignment, item.student, item.notebook)
    if journal is None:   # a partial run (Options.last_cell): a later run grades it in full
        return outcome
    journal.append({"student": item.student, "notebook": item.notebook, "digest": item.digest,
                    "seed": run.seed, "notes": outcome.notes,
                    "scores": {g: v.score for g, v in outcome.verdicts.items()},
                    "flags": outcome.flags, "finished_at": time.time()})
    return outcome
