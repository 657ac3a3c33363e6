"""Where jobs run: a local process pool, or a Dask cluster (the same plain-data jobs either way)."""
from __future__ import annotations

import secrets
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures import as_completed as local_as_completed
from multiprocessing import get_context

from .jobs import Job, JobOutput, run_job


class LocalPool:
    def __init__(self, workers: int):
        # spawn: a worker must not inherit the coordinator's open gradebook connection
        self.pool = ProcessPoolExecutor(max_workers=max(1, workers), mp_context=get_context("spawn"))

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
