"""Execute one notebook cell by cell, leaving a checkpoint after every cell.

This runs inside the sandbox, next to the student's kernel, so nothing it
writes is trusted: the trusted side reads the checkpoint only for feedback
(outputs, which cell died) and scores from evidence compared with the
reference. The checkpoint is what keeps partial credit when the kernel dies,
hangs, or the whole sandbox is killed at its wall-clock limit.

    python -m autograder.executor IN.ipynb OUT.ipynb --status status.json --cell-timeout 60
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

# jsonschema (under nbformat) imports the optional rfc3987_syntax checker, which builds a
# grammar at import time: about 1.3 s of every job. Nothing here validates URI formats.
sys.modules.setdefault("rfc3987_syntax", None)

import nbformat  # noqa: E402
from jupyter_core.utils import run_sync  # noqa: E402
from nbclient import NotebookClient  # noqa: E402
from nbclient.exceptions import CellTimeoutError, DeadKernelError  # noqa: E402

RECOVERY_TIMEOUT = 5  # seconds an interrupted kernel has to answer again
# A cell's text output is cut to its head and tail beyond this: a flood must not reach the
# checkpoint, the gradebook's autograded copy or the feedback page.
MAX_OUTPUT_CHARS = 100_000


def _atomic_write(path: Path, text: str) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def _evidence_size() -> int:
    path = os.environ.get("COURSE_EVIDENCE_FILE")
    try:
        return os.path.getsize(path) if path else 0
    except OSError:
        return 0


def _grade_id(cell) -> str | None:
    return cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")


def _limit_outputs(cell) -> None:
    for output in cell.get("outputs", []):
        text = output.get("text") if output.get("output_type") == "stream" else None
        if isinstance(text, str) and len(text) > MAX_OUTPUT_CHARS:
            half = MAX_OUTPUT_CHARS // 2
            output["text"] = (text[:half] + f"\n... [{len(text) - MAX_OUTPUT_CHARS} characters cut by the grader] ...\n"
                              + text[-half:])
        data = output.get("data", {})
        for mime, value in list(data.items()):
            if isinstance(value, str) and len(value) > MAX_OUTPUT_CHARS:
                data[mime] = value[:MAX_OUTPUT_CHARS] + "\n... [cut by the grader]"


def _timeout_output(seconds: float):
    return nbformat.v4.new_output(
        "error", ename="CellTimeoutError", evalue=f"cell ran longer than {seconds:g} s",
        traceback=[f"CellTimeoutError: cell ran longer than {seconds:g} s and was interrupted"])


def execute(nb, workdir: Path, out: Path, status_path: Path, cell_timeout: float,
            startup_timeout: float = 60) -> dict:
    status = {"cells": [], "finished": False, "stopped_at": None, "stop_reason": None}

    def checkpoint():
        _atomic_write(out, nbformat.writes(nb))
        _atomic_write(status_path, json.dumps(status))

    client = NotebookClient(nb, timeout=cell_timeout, kernel_name="python3", allow_errors=True,
                            startup_timeout=startup_timeout, record_timing=False,
                            resources={"metadata": {"path": str(workdir)}})
    checkpoint()
    with client.setup_kernel():
        for index, cell in enumerate(nb.cells):
            if cell.cell_type != "code":
                continue
            entry = {"index": index, "grade_id": _grade_id(cell), "status": "ok",
                     "evidence_start": _evidence_size()}
            started = time.monotonic()
            try:
                client.execute_cell(cell, index)
                if any(o.get("output_type") == "error" for o in cell.get("outputs", [])):
                    entry["status"] = "error"
            except CellTimeoutError:
                entry["status"] = "timeout"
                cell.outputs.append(_timeout_output(cell_timeout))
            except DeadKernelError:
                entry["status"] = "dead"
            _limit_outputs(cell)
            entry["seconds"] = round(time.monotonic() - started, 3)
            entry["evidence_end"] = _evidence_size()
            status["cells"].append(entry)
            if entry["status"] == "dead" or (entry["status"] == "timeout" and not _recovered(client)):
                status["stopped_at"] = index
                status["stop_reason"] = ("the kernel died" if entry["status"] == "dead"
                                         else "the kernel did not recover from a timeout")
                checkpoint()
                return status
            checkpoint()
    status["finished"] = True
    checkpoint()
    return status


def _recovered(client) -> bool:
    """Interrupt a timed-out kernel and see whether it answers again."""
    try:
        run_sync(client.km.interrupt_kernel)()  # the manager is async
        probe = nbformat.v4.new_code_cell("pass")
        saved, client.timeout = client.timeout, RECOVERY_TIMEOUT
        try:
            client.execute_cell(probe, 0, store_history=False)
        finally:
            client.timeout = saved
        return True
    except (CellTimeoutError, DeadKernelError, RuntimeError):
        return False


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("notebook")
    parser.add_argument("output")
    parser.add_argument("--status", required=True)
    parser.add_argument("--cell-timeout", type=float, default=60)
    args = parser.parse_args(argv)
    source = Path(args.notebook)
    nb = nbformat.read(source, as_version=4)
    execute(nb, source.parent.resolve(), Path(args.output), Path(args.status), args.cell_timeout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
