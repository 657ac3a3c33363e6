"""Who a sandbox runs as, and the slots that keep concurrent runs apart.

As root every slot has its own unprivileged user (course-sandbox-<slot>), because RLIMIT_NPROC
counts per uid; one run holds a slot at a time, in this process and across processes.
"""
from __future__ import annotations

import fcntl
import os
import pwd
import shutil
import subprocess
import tempfile
import threading
import time
from contextlib import contextmanager
from pathlib import Path

from .base import SLOT_COUNT, USER_PREFIX, SandboxError, SandboxUser, is_root, stage_dir
from .procs import proc_table

_users_lock = threading.Lock()


def sandbox_user(slot: int = 0) -> SandboxUser:
    """The user a sandbox in `slot` runs as; as root the dedicated user is created if missing."""
    if not isinstance(slot, int) or slot < 0:
        raise ValueError(f"slot must be a non-negative integer, got {slot!r}")
    if not is_root():
        entry = pwd.getpwuid(os.getuid())
        return SandboxUser(entry.pw_name, entry.pw_uid, entry.pw_gid, dedicated=False)
    name = f"{USER_PREFIX}{slot}"
    with _users_lock:
        try:
            entry = pwd.getpwnam(name)
        except KeyError:
            _create_user(name, slot)
            entry = pwd.getpwnam(name)
    if entry.pw_uid == 0 or entry.pw_gid == 0:
        raise SandboxError(f"sandbox user {name} has uid {entry.pw_uid} / gid {entry.pw_gid}; "
                           f"it must be an unprivileged account")
    return SandboxUser(name, entry.pw_uid, entry.pw_gid, dedicated=True)


def _create_user(name: str, slot: int) -> None:
    useradd = shutil.which("useradd") or "/usr/sbin/useradd"
    if not os.path.exists(useradd):
        raise SandboxError(f"cannot create sandbox user {name}: useradd is not installed")
    command = [useradd, "--system", "--no-create-home", "--home-dir", "/nonexistent",
               "--shell", "/usr/sbin/nologin", "--user-group",
               "--comment", f"autograder sandbox slot {slot}", name]
    for attempt in range(5):  # another process may hold the /etc/passwd lock for a moment
        done = subprocess.run(command, capture_output=True, text=True)
        if done.returncode == 0:
            return
        try:
            pwd.getpwnam(name)
            return  # created concurrently by someone else
        except KeyError:
            time.sleep(0.2 * (attempt + 1))
    raise SandboxError(f"cannot create sandbox user {name}: {done.stderr.strip()}")


def ensure_sandbox_users(slots=range(SLOT_COUNT)) -> list[SandboxUser]:
    """Make sure the users of `slots` exist (as root: course-sandbox-<slot>, system accounts
    without home or login shell). Not root: every slot is the current user, see SandboxUser.dedicated."""
    return [sandbox_user(slot) for slot in slots]


def user_processes(uid: int) -> list[int]:
    """Pids of every process (zombies included) whose real, effective, saved or fs uid is `uid`."""
    return sorted(pid for pid, info in proc_table().items() if uid in info.uids)


# One lock per slot for the threads of this process; a flock on a file per slot for other
# processes (another worker of the pool, another grader on the machine).
_slot_locks = {number: threading.Lock() for number in range(SLOT_COUNT)}


def _lock_dir() -> Path:
    if is_root():
        return stage_dir()   # root-owned: nobody else can plant or hold the lock files
    folder = Path(tempfile.gettempdir()) / f"course-sandbox-slots-{os.getuid()}"
    folder.mkdir(mode=0o700, exist_ok=True)
    return folder


def _take(number: int, wait: bool):
    """(thread lock, open lock file) when slot `number` is now ours; None when busy and not waiting."""
    lock = _slot_locks[number]
    if not lock.acquire(blocking=wait):
        return None
    try:
        handle = open(_lock_dir() / f"slot-{number}.lock", "a")
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        except BlockingIOError:
            handle.close()
            lock.release()
            return None
    except BaseException:
        lock.release()
        raise
    return lock, handle


@contextmanager
def slot(wanted: int | None = None, wait: bool = True):
    """Hold a slot for one run and yield its number: `wanted` (waiting until it is free), or with
    None the first free one of SLOT_COUNT (waiting until one is). With wait=False and `wanted`
    busy, yield None at once (a check that must not queue behind a long run)."""
    if wanted is not None:
        if not isinstance(wanted, int) or not 0 <= wanted < SLOT_COUNT:
            raise ValueError(f"slot must be an integer from 0 to {SLOT_COUNT - 1}, got {wanted!r}")
        number, held = wanted, _take(wanted, wait=wait)
        if held is None:
            yield None
            return
    else:
        number, held = None, None
        while held is None:
            for number in range(SLOT_COUNT):
                held = _take(number, wait=False)
                if held is not None:
                    break
            else:
                time.sleep(0.05)
    lock, handle = held
    try:
        yield number
    finally:
        handle.close()   # releases the flock
        lock.release()
