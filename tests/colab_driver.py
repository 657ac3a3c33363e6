"""Run notebooks with nbclient in the Python that runs this file, as a Colab runtime would.

tests/test_colab.py runs it with the Python of a clean virtual environment that holds only
packages Colab has, so it may import nbclient and the standard library, never this project.
It reads a JSON list of jobs ({notebook, output, cwd, env, timeout}), executes each notebook with
allow_errors (every cell runs, its error kept in its outputs) and writes the executed copy.
A job that cannot finish (a dead kernel, a cell past its timeout) leaves <output>.error.
"""
from __future__ import annotations

import json
import sys
import traceback
from pathlib import Path

import nbformat
from nbclient import NotebookClient


def main(jobs_file: str) -> int:
    for job in json.loads(Path(jobs_file).read_text(encoding="utf-8")):
        nb = nbformat.read(job["notebook"], as_version=4)
        client = NotebookClient(nb, kernel_name="python3", allow_errors=True, timeout=job["timeout"],
                                resources={"metadata": {"path": job["cwd"]}})
        try:
            client.execute(env=job["env"], cwd=job["cwd"])
        except Exception:   # the test reports it by the notebook's name
            Path(job["output"] + ".error").write_text(traceback.format_exc(), encoding="utf-8")
        nbformat.write(nb, job["output"])
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
