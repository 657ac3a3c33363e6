"""Where jobs run: a local process pool, or a Dask cluster (the same plain-data jobs either way)."""
from __future__ import annotations

import ctypes
import os
import secrets
import signal
import sys
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures import as_completed as local_as_completed
from multiprocessing import get_context

from ..sandbox.launch import PR_SET_PDEATHSIG
from .jobs import Job, JobOutput, run_job


def _die_with_coordinator(coordinator: int) -> None:
    """A worker's first step: end when the coordinator ends, however it ends. A coordinator
    killed with SIGTERM (a scheduler's timeout, `kill`) would otherwise leave its workers, and
    the warm sandboxes they hold, running with nobody to hand them work. (The sandboxes end with
    their worker: bubblewrap runs them with --die-with-parent.)"""
    if sys.platform.startswith("linux"):
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)
    if os.getppid() != coordinator:   # it ended before the line above took effect
        os._exit(1)


class LocalPool:
    def __init__(self, workers: int):
        # spawn: a worker must not inherit the coordinator's open gradebook connection
        self.pool = ProcessPoolExecutor(max_workers=max(1, workers), mp_context=get_context("spawn"),
                                        initializer=_die_with_coordinator, initargs=(os.getpid(),))

    def run(self, jobs: list[Job]):
        futures = {self.pool.submit(run_job, job): job for job in jobs}
        for future in local_as_completed(futures):
            yield futures[future], _result(future)

    def close(self):
        self.pool.shutdown(cancel_futures=True)


class DaskCluster:
    def __init__(self, address: str):
        from distributed import Client
        self.client = Client(address, timeout="30s")

    def run(self, jobs: list[Job]):
        from distributed import as_completed
        futures = {self.client.submit(run_job, job, pure=False, key=f"grade-{secrets.token_hex(6)}"): job
                   for job in jobs}
        for future in as_completed(list(futures)):
            yield futures[future], _result(future)

    def close(self):
        self.client.close()


def _result(future) -> JobOutput | str:
    try:
        return future.result()
    except Exception as err:  # a worker that died: the job reports, the batch goes on
        return f"the grading worker failed: {type(err).__name__}: {err}"
