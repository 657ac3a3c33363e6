"""What every part of the sandbox shares: its limits, results, errors, users and constants."""
from __future__ import annotations

import os
import stat
import subprocess
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:   # only for annotations: cgroups itself imports from here, through procs
    from . import cgroups

FALLBACK_WARNING = ("SANDBOX FALLBACK: no namespaces here; files outside the work dir are NOT hidden "
                    "from student code (answer keys, gradebook, other submissions are readable if "
                    "their permissions allow it); only rlimits, the unprivileged user and the "
                    "wall-clock kill apply")
SLOT_COUNT = 8  # one dedicated user per concurrent sandbox
USER_PREFIX = "course-sandbox-"
STAGE_DIR = Path("/run/course-sandbox")  # root-owned; mount point of the private staging tmpfs
TAIL_BYTES = 64 << 10
SANDBOX_HOME = "/tmp/home"
# Directories bound read-only as the "system"; a path below one of them is already visible.
SYSTEM_DIRS = (Path("/usr"), Path("/etc"))
# Merged-/usr links on Debian 12; on other layouts they are real directories and get bound.
TOP_LEVEL_LINKS = ("/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32")
FORBIDDEN_WORKDIR_ROOTS = (Path("/usr"), Path("/etc"), Path("/proc"), Path("/dev"), Path("/sys"),
                           Path("/run"))
KILL_GRACE_SECONDS = 5.0  # SIGKILLed processes that are still there after this are an error
DRAIN_SECONDS = 2.0  # after the main process is gone, how long to wait for the pipes to close
POLL_SECONDS = 0.05
PR_SET_CHILD_SUBREAPER = 36

CGROUP_FALLBACK_WARNING = ("NO CGROUPS: {reason}. A submission's processes together are bounded "
                           "only per process (RLIMIT_AS, RLIMIT_CPU) and per user (RLIMIT_NPROC): "
                           "busy children can slow every other job on the machine")


class SandboxError(RuntimeError):
    """The sandbox itself could not be set up or cleaned up (never the student's fault)."""


@dataclass(frozen=True)
class Limits:
    memory_bytes: int = 4 << 30      # RLIMIT_AS (torch import peaks ~0.8 GB virtual)
    cpu_seconds: int = 300           # RLIMIT_CPU
    processes: int = 256             # RLIMIT_NPROC (per uid!)
    file_bytes: int = 100 << 20      # RLIMIT_FSIZE
    open_files: int = 1024           # RLIMIT_NOFILE
    wall_seconds: float = 600        # whole run, kill of the whole process tree after it
    tmp_bytes: int = 512 << 20       # size of the private /tmp tmpfs (and of /dev/shm)
    # the run's cgroup (see autograder/sandbox/cgroups.py): all its processes together
    group_memory_bytes: int = 6 << 30   # resident memory and tmpfs pages of the whole run
    group_cpus: float = 1.0             # CPU quota: one job never takes another job's core

    def __post_init__(self):
        for name in ("memory_bytes", "cpu_seconds", "processes", "file_bytes", "open_files",
                     "wall_seconds", "tmp_bytes", "group_memory_bytes", "group_cpus"):
            value = getattr(self, name)
            if not value > 0:
                raise ValueError(f"Limits.{name} must be positive, got {value!r}")


@dataclass
class SandboxResult:
    returncode: int | None   # None when the wall limit killed the run; 128+N for death by signal N
    timed_out: bool          # wall limit hit, tree killed
    isolation: str           # "bubblewrap" or "fallback"
    warning: str             # non-empty (loud) when isolation is the fallback
    stdout: str              # tails, bounded (last 64 KiB each)
    stderr: str
    wall_seconds: float
    user: str = ""           # who the command ran as
    note: str = ""           # quieter remarks, e.g. "not root: ran as the current user"
    cgroup: str = ""         # "cgroup v1" / "cgroup v2", or "" when only rlimits applied
    memory_limit_hit: bool = False   # the run's cgroup ran out of memory (its OOM killer ran)


@dataclass(frozen=True)
class SandboxUser:
    name: str
    uid: int
    gid: int
    dedicated: bool  # False when not root: the current user, shared with the grader itself


@dataclass
class Bind:
    source: Path       # resolved host path
    dest: Path         # path inside the sandbox
    writable: bool = False


@dataclass
class Run:
    isolation: str
    user: SandboxUser
    limits: Limits
    marker: bytes                      # in the fallback: tags the run's processes via their environ
    proc: subprocess.Popen | None = None
    group: cgroups.RunGroup | None = None
    seen: set = field(default_factory=set)  # fallback without own user: (pid, start) met so far
    as_pid_1: bool = False             # the command is the pid namespace's init (a warm sandbox)
    cancel: threading.Event = field(default_factory=threading.Event)   # set: kill the run now


def is_root() -> bool:
    return os.geteuid() == 0


def stage_dir() -> Path:
    STAGE_DIR.mkdir(mode=0o755, parents=True, exist_ok=True)
    info = os.lstat(STAGE_DIR)
    if not stat.S_ISDIR(info.st_mode) or info.st_uid != 0 or info.st_mode & 0o022:
        raise SandboxError(f"{STAGE_DIR} must be a directory owned by root and writable only by "
                           f"root (found mode {oct(info.st_mode)}, owner {info.st_uid})")
    return STAGE_DIR
