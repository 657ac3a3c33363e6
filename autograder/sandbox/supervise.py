"""Watching one run: its output tails, the wall clock, and killing every process it left."""
from __future__ import annotations

import os
import re
import selectors
import signal
import subprocess
import time

from .base import DRAIN_SECONDS, KILL_GRACE_SECONDS, POLL_SECONDS, TAIL_BYTES, Run, SandboxError
from .procs import Proc, descendants, environ_has, kill_each, proc_table, start_time


class Tail:
    def __init__(self):
        self.data = bytearray()

    def add(self, chunk: bytes) -> None:
        self.data += chunk
        if len(self.data) > 2 * TAIL_BYTES:
            del self.data[:-TAIL_BYTES]

    def text(self) -> str:
        return bytes(self.data[-TAIL_BYTES:]).decode("utf-8", errors="replace")


def supervise(run: Run, nonce: bytes, info_fd: int, started: float) -> dict:
    proc, deadline = run.proc, started + run.limits.wall_seconds
    out_tail, err_tail = Tail(), Tail()
    err_fd = proc.stderr.fileno()
    tails = {proc.stdout.fileno(): out_tail, err_fd: err_tail}
    selector = selectors.DefaultSelector()
    for fd in (*tails, info_fd):
        selector.register(fd, selectors.EVENT_READ)
    info = bytearray()
    before_start = bytearray()  # stderr until the nonce: set-up errors, if any
    ready = False
    timed_out = exited = cleaned = False
    drain_until = None
    try:
        while True:
            now = time.monotonic()
            if not exited:
                if proc.poll() is not None:
                    exited = True
                    kill_leftovers(run)  # escapees would keep the pipes open forever
                    cleaned = True  # nothing of the run is left, so nothing can start again
                    drain_until = time.monotonic() + DRAIN_SECONDS
                elif now >= deadline or run.cancel.is_set():
                    timed_out = exited = True
                    kill_leftovers(run)
                    cleaned = True
                    drain_until = time.monotonic() + DRAIN_SECONDS
                elif run.isolation == "fallback" and not run.user.dedicated:
                    # remember them all before one can escape
                    run.seen |= {(pid, start_time(pid)) for pid in run_processes(run, proc_table())}
            if exited and (not selector.get_map() or time.monotonic() >= drain_until):
                break
            wait = POLL_SECONDS if exited else max(0.0, min(POLL_SECONDS, deadline - now))
            if not selector.get_map():
                try:
                    proc.wait(timeout=wait)
                except subprocess.TimeoutExpired:
                    pass
                continue
            for key, _ in selector.select(wait):
                chunk = os.read(key.fd, 65536)
                if key.fd == err_fd and not ready:
                    before_start += chunk
                    at = before_start.find(nonce)
                    if at >= 0:
                        ready = True
                        err_tail.add(bytes(before_start[:at] + before_start[at + len(nonce):]))
                    elif len(before_start) > TAIL_BYTES:  # cannot be set-up output any more
                        del before_start[:-len(nonce)]
                elif key.fd == info_fd:
                    if len(info) < 4096:
                        info += chunk
                        remember_reaper(run, bytes(info))
                elif chunk:
                    tails[key.fd].add(chunk)
                if not chunk:
                    selector.unregister(key.fd)
    finally:
        selector.close()
        os.close(info_fd)
        proc.stdout.close()
        proc.stderr.close()
        if not cleaned:  # an exception above, or the loop ended some other way
            kill_leftovers(run)
    returncode = proc.returncode
    if returncode is not None and returncode < 0:
        returncode = 128 - returncode  # as bubblewrap and shells report a death by signal
    if not ready:
        err_tail.add(bytes(before_start))
    return {"ready": ready, "timed_out": timed_out, "returncode": None if timed_out else returncode,
            "stdout": out_tail.text(), "stderr": err_tail.text()}


def remember_reaper(run: Run, info: bytes) -> None:
    """bubblewrap's pid 1 outlives its outer process as an orphan; note it to reap it later."""
    found = re.search(rb'"child-pid"\s*:\s*(\d+)', info)
    if found:
        pid = int(found.group(1))
        start = start_time(pid)
        if start is not None:
            run.seen.add((pid, start))


def run_processes(run: Run, table: dict[int, Proc]) -> set[int]:
    """Every live or zombie process that belongs to this run."""
    me, proc = os.getpid(), run.proc
    if run.user.dedicated:
        pids = {pid for pid, info in table.items() if run.user.uid in info.uids}
    else:
        # proc.pid only while not reaped: afterwards the pid may belong to someone else
        roots = {proc.pid} if proc is not None and proc.returncode is None else set()
        roots |= {pid for pid, start in run.seen if pid in table and start_time(pid) == start}
        if run.isolation == "fallback":
            # setsid() escapees are re-parented to us (subreaper) and still carry the marker
            roots |= {pid for pid, info in table.items()
                      if info.ppid == me and environ_has(pid, run.marker)}
        pids = descendants(table, roots)
    pids.discard(me)
    return pids


def kill_leftovers(run: Run) -> None:
    """SIGKILL every process of the run until none is left; reap the ones that are our children."""
    proc, me = run.proc, os.getpid()
    give_up = time.monotonic() + KILL_GRACE_SECONDS
    while True:
        table = proc_table()
        live = set()
        pids = run_processes(run, table)
        for pid in pids:
            info = table[pid]
            if proc is not None and pid == proc.pid:
                if proc.poll() is None:  # Popen reaps its own child
                    live.add(pid)
                continue
            if info.ppid == me:  # an orphan handed to us as subreaper
                try:
                    if os.waitpid(pid, os.WNOHANG)[0] == pid:
                        continue
                except ChildProcessError:
                    continue
            elif info.state == "Z" and info.ppid not in pids:
                continue  # dead, and its parent is not ours to wait for
            live.add(pid)  # a zombie of a dying run process counts until that one reaps it
        if not live:
            return
        # once killed, a zombie no longer shows the marker in its environ: remember it to reap it
        run.seen |= {(pid, start_time(pid)) for pid in live}
        if proc is not None and proc.returncode is None:
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        kill_each(live)
        if time.monotonic() > give_up:
            raise SandboxError(f"processes of the sandbox survived SIGKILL for "
                               f"{KILL_GRACE_SECONDS:.0f} s: {sorted(live)}")
        if proc is not None and proc.returncode is None:
            try:
                proc.wait(timeout=0.2)
            except subprocess.TimeoutExpired:
                pass
        else:
            time.sleep(0.005)
