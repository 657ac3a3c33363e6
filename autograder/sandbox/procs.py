"""The process table as /proc shows it: who belongs to a run, and reaping orphans."""
from __future__ import annotations

import ctypes
import os
import re
import signal
import threading
from dataclasses import dataclass

from .base import SandboxError

PR_SET_CHILD_SUBREAPER = 36


@dataclass
class Proc:
    ppid: int
    # real, effective, saved and fs uid (not the owner of /proc/<pid>: a non-dumpable process
    # shows root there, which would hide it from a scan by uid)
    uids: frozenset
    state: str


_STATUS_FIELDS = re.compile(
    rb"^State:\s*(?P<state>\S).*^PPid:\s*(?P<ppid>\d+).*^Uid:\s*(?P<uids>[\d\s]+?)$",
    re.MULTILINE | re.DOTALL)


def proc_table() -> dict[int, Proc]:
    table: dict[int, Proc] = {}
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/status", "rb") as handle:
                status = handle.read()
        except OSError:  # gone in between: nothing to do with it
            continue
        found = _STATUS_FIELDS.search(status)
        if found:
            table[int(name)] = Proc(int(found["ppid"]), frozenset(map(int, found["uids"].split())),
                                     found["state"].decode())
    return table


def start_time(pid: int) -> int | None:
    """Clock ticks after boot: tells a process from a later one that reuses its pid."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as handle:
            line = handle.read()
        # the command name may contain spaces and ')': count fields after the last ')'
        return int(line[line.rindex(b")") + 2:].split()[19])
    except (OSError, ValueError, IndexError):
        return None


def descendants(table: dict[int, Proc], roots) -> set[int]:
    children: dict[int, list[int]] = {}
    for pid, info in table.items():
        children.setdefault(info.ppid, []).append(pid)
    found: set[int] = set()
    stack = [r for r in roots if r in table]
    while stack:
        pid = stack.pop()
        if pid in found:
            continue
        found.add(pid)
        stack.extend(children.get(pid, ()))
    return found


def environ_has(pid: int, marker: bytes) -> bool:
    try:
        with open(f"/proc/{pid}/environ", "rb") as handle:
            return marker in handle.read().split(b"\0")
    except OSError:
        return False


def kill_each(pids) -> None:
    """SIGKILL every pid; one that is already gone is no error."""
    for pid in pids:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


_subreaper_lock = threading.Lock()
_subreaper_pid = None  # the kernel does not pass the attribute on to forked children


def become_subreaper() -> None:
    """Orphans of a run get re-parented to this process, so they stay visible, killable and
    reapable: setsid() escapees in the fallback, and bubblewrap's pid-1 reaper, which its outer
    process leaves behind as a zombie (a zombie still counts against RLIMIT_NPROC). Process-wide:
    orphaned grandchildren of the grader's other subprocesses also come here from then on."""
    global _subreaper_pid
    with _subreaper_lock:
        if _subreaper_pid == os.getpid():
            return
        libc = ctypes.CDLL(None, use_errno=True)
        if libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) != 0:
            raise SandboxError(f"prctl(PR_SET_CHILD_SUBREAPER) failed: "
                               f"{os.strerror(ctypes.get_errno())}")
        _subreaper_pid = os.getpid()
