"""Run untrusted code (a student's notebook, its executor and its kernel) in a throw-away sandbox.

Two isolation levels:

* ``bubblewrap``: the command runs as a dedicated unprivileged user inside bubblewrap
  namespaces: no network (a private loopback only), a read-only system, a private ``/tmp``,
  only the work dir writable, nothing else of the host file system visible. Rlimits and a
  wall-clock kill of the whole process tree on top.
* ``fallback`` (no user namespaces here, or forced): the same user, rlimits and wall-clock kill,
  but files outside the work dir are NOT hidden. Every result then carries a loud warning.

Running as root (as CI and the grading machine do), the command runs as ``course-sandbox-<slot>``;
one user per slot, because RLIMIT_NPROC counts per uid. bubblewrap itself runs as that user, so it
can only bind what that user can reach. An interpreter under ``/root`` (mode 700, e.g. pyenv) is
unreachable for it; so, still as root, the launcher first enters a private mount namespace and
bind-mounts every source into a root-owned staging directory that the user can traverse
(``/run/course-sandbox``), then drops to the user and starts bubblewrap from the staged copies.
Nothing on the host changes and the staging mounts vanish with the run.

See docs/SANDBOX.md for the whole picture and how to verify a new machine.
"""
from __future__ import annotations

import ctypes
import fcntl
import os
import pwd
import re
import resource
import selectors
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from . import cgroups

__all__ = [
    "FALLBACK_WARNING", "Limits", "SandboxError", "SandboxResult", "SandboxUser", "SLOT_COUNT",
    "ensure_sandbox_users", "probe_isolation", "run_sandboxed", "runtime_paths", "sandbox_user",
    "user_processes",
]

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
    # the run's cgroup (see autograder/cgroups.py): all its processes together
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


# --------------------------------------------------------------------------- users and slots

_users_lock = threading.Lock()
_slot_locks: dict[int, threading.Lock] = {}


def _is_root() -> bool:
    return os.geteuid() == 0


def sandbox_user(slot: int = 0) -> SandboxUser:
    """The user a sandbox in `slot` runs as; as root the dedicated user is created if missing."""
    if not isinstance(slot, int) or slot < 0:
        raise ValueError(f"slot must be a non-negative integer, got {slot!r}")
    if not _is_root():
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
    return sorted(pid for pid, info in _proc_table().items() if uid in info.uids)


# --------------------------------------------------------------------------- runtime paths

def _covered(path: Path, roots) -> bool:
    return any(path == root or root in path.parents for root in roots)


def runtime_paths(python: str | os.PathLike | None = None) -> list[Path]:
    """Host paths to bind read-only so that `python` (default: this interpreter) runs inside.

    A venv's ``bin/python`` is a symlink to the base interpreter; both the venv and the real
    installation prefix are needed, at their own paths. Paths under /usr are part of the
    system anyway and are left out. Packages installed in editable mode live elsewhere (for
    this project: the repository's autograder/ and course/ folders): add them yourself.
    """
    candidates: list[Path] = []
    if python is None:
        interpreter = Path(os.path.abspath(sys.executable))
        candidates += [Path(p) for p in (sys.prefix, sys.exec_prefix,
                                          sys.base_prefix, sys.base_exec_prefix)]
    else:
        interpreter = Path(os.path.abspath(python))
        if not interpreter.exists():
            raise ValueError(f"interpreter {interpreter} does not exist")
        venv = interpreter.parent.parent
        config = venv / "pyvenv.cfg"
        candidates.append(venv)
        if config.is_file():
            for line in config.read_text().splitlines():
                key, _, value = line.partition("=")
                if key.strip() == "home" and value.strip():
                    candidates.append(Path(value.strip()).parent)
    candidates.append(Path(os.path.realpath(interpreter)).parent.parent)
    found: list[Path] = []
    for candidate in candidates:
        for variant in (Path(os.path.abspath(candidate)), Path(os.path.realpath(candidate))):
            if variant not in found and not _covered(variant, SYSTEM_DIRS) and variant != Path("/"):
                found.append(variant)
    # keep the outermost of nested paths: the inner ones come along
    return sorted(p for p in found if not any(q != p and q in p.parents for q in found))


# --------------------------------------------------------------------------- /proc

@dataclass
class _Proc:
    ppid: int
    # real, effective, saved and fs uid (not the owner of /proc/<pid>: a non-dumpable process
    # shows root there, which would hide it from a scan by uid)
    uids: frozenset
    state: str


_STATUS_FIELDS = re.compile(
    rb"^State:\s*(?P<state>\S).*^PPid:\s*(?P<ppid>\d+).*^Uid:\s*(?P<uids>[\d\s]+?)$",
    re.MULTILINE | re.DOTALL)


def _proc_table() -> dict[int, _Proc]:
    table: dict[int, _Proc] = {}
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
            table[int(name)] = _Proc(int(found["ppid"]), frozenset(map(int, found["uids"].split())),
                                     found["state"].decode())
    return table


def _start_time(pid: int) -> int | None:
    """Clock ticks after boot: tells a process from a later one that reuses its pid."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as handle:
            line = handle.read()
        # the command name may contain spaces and ')': count fields after the last ')'
        return int(line[line.rindex(b")") + 2:].split()[19])
    except (OSError, ValueError, IndexError):
        return None


def _descendants(table: dict[int, _Proc], roots) -> set[int]:
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


def _environ_has(pid: int, marker: bytes) -> bool:
    try:
        with open(f"/proc/{pid}/environ", "rb") as handle:
            return marker in handle.read().split(b"\0")
    except OSError:
        return False


_subreaper_lock = threading.Lock()
_subreaper_pid = None  # the kernel does not pass the attribute on to forked children


def _become_subreaper() -> None:
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


# --------------------------------------------------------------------------- isolation probe

_probe_lock = threading.Lock()
_probe_result: tuple[str, str] | None = None


def probe_isolation() -> tuple[str, str]:
    """("bubblewrap", "") when a real namespace sandbox works here, else ("fallback", reason). Cached."""
    global _probe_result
    with _probe_lock:
        if _probe_result is None:
            _probe_result = _probe()
        return _probe_result


def _probe() -> tuple[str, str]:
    missing = [tool for tool in ("bwrap", "setpriv", "unshare", "mount") if not _tool(tool)]
    if "bwrap" in missing:
        return "fallback", "bubblewrap (bwrap) is not installed"
    if _is_root() and missing:
        return "fallback", f"missing tools: {', '.join(missing)}"
    workdir = Path(tempfile.mkdtemp(prefix="course-sandbox-probe-"))
    try:
        # The same path a real run takes (user, staging, bwrap), with a trivial command.
        result = _run(["true"], workdir, Limits(wall_seconds=60), None, (), 0, "bubblewrap")
    except SandboxError as error:
        return "fallback", f"bubblewrap does not work here: {error}"
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    if result.returncode != 0:
        return "fallback", (f"bubblewrap test run failed (exit {result.returncode}): "
                            f"{result.stderr.strip()[-500:]}")
    return "bubblewrap", ""


def _tool(name: str) -> str | None:
    return shutil.which(name, path="/usr/sbin:/usr/bin:/sbin:/bin")


# --------------------------------------------------------------------------- public entry point

def run_sandboxed(argv: list[str], workdir: Path, *, limits: Limits = Limits(),
                  env: dict[str, str] | None = None, readonly=(), slot: int = 0,
                  isolation: str = "auto", pass_fds: tuple[int, ...] = ()) -> SandboxResult:
    """Run argv with `workdir` as the only writable place, no network, a read-only system, a clean
    environment, as an unprivileged user, with rlimits and a wall-clock kill of the process tree.

    The work dir is mounted at its own (resolved) absolute path and is the current directory, so
    argv may use paths relative to it. `readonly` lists further host paths bound read-only at
    their own paths (the venv and interpreter prefix, see runtime_paths(); the autograder
    package). `env` is added to the defaults (PATH with the venvs' bin first, HOME=/tmp/home,
    MPLBACKEND=Agg, thread counts, PYTHONDONTWRITEBYTECODE, LANG); nothing else of the caller's
    environment goes in. `slot` picks the dedicated user (course-sandbox-<slot>); one run per
    slot at a time, concurrent calls on the same slot wait for each other. isolation: "auto"
    (bubblewrap if it works, else the fallback with its warning), "bubblewrap" (raise
    SandboxError if it does not work), "fallback" (forced; for tests). `pass_fds` are open file
    descriptors the command inherits (the grader hands hidden tests over a pipe, not a file).
    Where the machine allows it (root and cgroup v1 or v2), the whole run is one cgroup with
    limits.group_cpus, limits.group_memory_bytes and limits.processes; see cgroup_support().
    """
    if isolation not in ("auto", "bubblewrap", "fallback"):
        raise ValueError(f"isolation must be 'auto', 'bubblewrap' or 'fallback', got {isolation!r}")
    if isolation != "fallback":
        available, reason = probe_isolation()
        if available != "bubblewrap":
            if isolation == "bubblewrap":
                raise SandboxError(f"bubblewrap isolation requested but unavailable: {reason}")
            isolation = "fallback"
        else:
            isolation = "bubblewrap"
    return _run(argv, workdir, limits, env, readonly, slot, isolation, tuple(pass_fds))


_cgroup_support: tuple[str | None, str] | None = None


def cgroup_support() -> tuple[str | None, str]:
    """('v1' or 'v2', '') where every run gets its own cgroup, else (None, why not); cached."""
    global _cgroup_support
    if _cgroup_support is None:
        _cgroup_support = cgroups.available()
    return _cgroup_support


CGROUP_FALLBACK_WARNING = ("NO CGROUPS: {reason}. A submission's processes together are bounded "
                           "only per process (RLIMIT_AS, RLIMIT_CPU) and per user (RLIMIT_NPROC): "
                           "busy children can slow every other job on the machine")


# --------------------------------------------------------------------------- one run

@dataclass
class _Bind:
    source: Path       # resolved host path
    dest: Path         # path inside the sandbox
    writable: bool = False


@dataclass
class _Run:
    isolation: str
    user: SandboxUser
    limits: Limits
    marker: bytes                      # in the fallback: tags the run's processes via their environ
    proc: subprocess.Popen | None = None
    group: cgroups.RunGroup | None = None
    seen: set = field(default_factory=set)  # fallback without own user: (pid, start) met so far


def _run(argv, workdir, limits, env, readonly, slot, isolation, pass_fds=()) -> SandboxResult:
    if not argv or not all(isinstance(a, str) for a in argv):
        raise ValueError(f"argv must be a non-empty list of strings, got {argv!r}")
    workdir = Path(workdir)
    if not workdir.is_dir():
        raise ValueError(f"work dir {workdir} is not a directory")
    workdir = workdir.resolve()
    binds = _plan_binds(workdir, [Path(p) for p in readonly])
    user = sandbox_user(slot)
    with _slot_lock(slot):
        run = _Run(isolation, user, limits, marker=f"COURSE_SANDBOX_RUN={uuid.uuid4().hex}".encode())
        if user.dedicated:
            _kill_leftovers(run)  # a crashed earlier grader may have left some behind
        owner = _hand_over(workdir, user)
        home = None
        try:
            environment = _environment(binds, env)
            if isolation == "fallback":
                if user.dedicated:
                    _check_reachable(user, [b.source for b in binds if not b.writable])
                home = _private_home(user)
                environment.update(HOME=str(home), TMPDIR=str(home))
                key, _, value = run.marker.decode().partition("=")
                environment[key] = value
            _become_subreaper()
            if cgroup_support()[0] is not None:
                run.group = cgroups.RunGroup.create(cgroups.GroupLimits(
                    limits.group_cpus, limits.group_memory_bytes, limits.processes))
            result = _execute(run, argv, workdir, binds, environment, pass_fds)
            if run.group is not None:
                result.cgroup = f"cgroup {run.group.version}"
                result.memory_limit_hit = run.group.memory_limit_hit()
        finally:
            if run.group is not None:
                survivors = run.group.kill_all(KILL_GRACE_SECONDS)
                run.group.remove()
                if survivors:
                    raise SandboxError(f"processes of the sandbox's cgroup survived SIGKILL: {sorted(survivors)}")
            if home is not None:
                shutil.rmtree(home, ignore_errors=True)
            removed = _take_back(workdir, owner) if owner is not None else []
    if removed:
        result.note = "; ".join(filter(None, [result.note, (
            f"removed hard links to files outside the work dir made by the sandboxed code: "
            f"{', '.join(removed)}")]))
    return result


class _slot_lock:
    """One run per slot: in this process (threads) and, as root, across processes (flock)."""

    def __init__(self, slot: int):
        self.slot = slot
        with _users_lock:
            self.lock = _slot_locks.setdefault(slot, threading.Lock())
        self.handle = None

    def __enter__(self):
        self.lock.acquire()
        try:
            if _is_root():
                _stage_dir()
                self.handle = open(STAGE_DIR / f"slot-{self.slot}.lock", "a")
                fcntl.flock(self.handle, fcntl.LOCK_EX)
        except BaseException:
            self.lock.release()
            raise
        return self

    def __exit__(self, *exc):
        if self.handle is not None:
            self.handle.close()  # releases the flock
        self.lock.release()


def _stage_dir() -> Path:
    STAGE_DIR.mkdir(mode=0o755, parents=True, exist_ok=True)
    info = os.lstat(STAGE_DIR)
    if not stat.S_ISDIR(info.st_mode) or info.st_uid != 0 or info.st_mode & 0o022:
        raise SandboxError(f"{STAGE_DIR} must be a directory owned by root and writable only by "
                           f"root (found mode {oct(info.st_mode)}, owner {info.st_uid})")
    return STAGE_DIR


def _plan_binds(workdir: Path, readonly: list[Path]) -> list[_Bind]:
    if workdir == Path("/") or _covered(workdir, FORBIDDEN_WORKDIR_ROOTS):
        raise ValueError(f"work dir {workdir} lies in a system directory; use a dedicated folder")
    binds: list[_Bind] = []
    for path in readonly:
        if not path.is_absolute():
            raise ValueError(f"read-only path {path} must be absolute")
        if not path.exists():
            raise ValueError(f"read-only path {path} does not exist")
        for dest in dict.fromkeys((Path(os.path.abspath(path)), Path(os.path.realpath(path)))):
            if dest == workdir or dest in workdir.parents:
                raise ValueError(f"read-only path {dest} contains the work dir {workdir}: "
                                 f"it would expose the work dir's neighbours (other submissions, "
                                 f"answer keys); bind narrower paths")
            if workdir in dest.parents:
                raise ValueError(f"read-only path {dest} lies inside the work dir {workdir}")
            if _covered(dest, SYSTEM_DIRS) or any(dest == b.dest for b in binds):
                continue
            binds.append(_Bind(Path(os.path.realpath(path)), dest))
    # a path inside another bound path is visible already; parents first so mounts nest
    binds = [b for b in binds if not any(o.dest in b.dest.parents for o in binds)]
    binds.sort(key=lambda b: (len(b.dest.parts), str(b.dest)))
    binds.append(_Bind(workdir, workdir, writable=True))
    return binds


def _environment(binds: list[_Bind], extra: dict[str, str] | None) -> dict[str, str]:
    venv_bins = [str(b.dest / "bin") for b in binds if (b.source / "pyvenv.cfg").is_file()]
    threads = "2"  # RLIMIT_AS counts every thread's stack and BLAS buffers; 96 cores would not fit
    environment = {
        "PATH": ":".join(venv_bins + ["/usr/local/bin", "/usr/bin", "/bin"]),
        "HOME": SANDBOX_HOME,
        "LANG": "C.UTF-8",  # notebooks carry Korean text
        "MPLBACKEND": "Agg",
        "OMP_NUM_THREADS": threads,
        "OPENBLAS_NUM_THREADS": threads,
        "MKL_NUM_THREADS": threads,
        "PYTHONDONTWRITEBYTECODE": "1",  # the venv is read-only; do not even try
    }
    for key, value in (extra or {}).items():
        if not isinstance(key, str) or not isinstance(value, str) or not key or "=" in key \
                or "\0" in key or "\0" in value:
            raise ValueError(f"environment entries must be str -> str without '=' in the name or "
                             f"NUL bytes, got {key!r}: {value!r}")
        environment[key] = value
    return environment


def _check_reachable(user: SandboxUser, paths: list[Path]) -> None:
    """In the fallback the user reaches host paths directly: refuse early and clearly if it cannot."""
    for path in paths:
        for directory in [*reversed(path.parents), path]:
            info = os.stat(directory)
            if info.st_uid == user.uid:
                bits = (info.st_mode >> 6) & 7
            elif info.st_gid == user.gid:
                bits = (info.st_mode >> 3) & 7
            else:
                bits = info.st_mode & 7
            needed = 5 if directory == path else 1  # r-x on the path itself, x on its parents
            if stat.S_ISDIR(info.st_mode) and bits & needed != needed:
                raise SandboxError(
                    f"SANDBOX FALLBACK cannot run: the sandbox user {user.name} cannot reach "
                    f"{path} ({directory} has mode {stat.filemode(info.st_mode)}). Install the "
                    f"interpreter and venv outside /root (e.g. /opt), or fix the environment so "
                    f"that bubblewrap works; student code is never run as root")


def _private_home(user: SandboxUser) -> Path:
    home = Path(tempfile.mkdtemp(prefix="course-sandbox-home-"))
    if user.dedicated:
        os.chown(home, user.uid, user.gid)
    return home


# --------------------------------------------------------------------------- work dir ownership

def _hand_over(workdir: Path, user: SandboxUser) -> tuple[int, int] | None:
    """chown the work dir to the sandbox user; returns the owner to give it back to afterwards."""
    if not user.dedicated:
        return None
    info = os.lstat(workdir)
    owner = (info.st_uid, info.st_gid)
    outside = _links_to_outside(workdir)
    if outside:
        raise SandboxError(f"the work dir {workdir} holds hard links to files outside it "
                           f"({', '.join(outside.values())}); refusing to hand those files to "
                           f"the sandbox user")

    def give(dir_fd, name, entry):
        os.chown(name, user.uid, user.gid, dir_fd=dir_fd, follow_symlinks=False)
    try:
        _visit(workdir, give)
    except BaseException:
        _take_back(workdir, owner)  # never leave a half-handed-over work dir behind
        raise
    return owner


def _take_back(workdir: Path, owner: tuple[int, int]) -> list[str]:
    """Give the work dir back: the owner, minus set-id and world-write bits the sandbox may have
    set. A hard link to an outside file (possible in the fallback) is removed, not chowned: the
    chown would hit the outside file. Returns the removed names."""
    outside = _links_to_outside(workdir)
    removed = []

    def take(dir_fd, name, entry):
        if not stat.S_ISDIR(entry.st_mode) and (entry.st_dev, entry.st_ino) in outside:
            os.unlink(name, dir_fd=dir_fd)
            removed.append(name)
            return
        os.chown(name, owner[0], owner[1], dir_fd=dir_fd, follow_symlinks=False)
        if not stat.S_ISLNK(entry.st_mode):
            mode = stat.S_IMODE(entry.st_mode)
            safe = mode & ~(stat.S_ISUID | stat.S_ISGID | stat.S_IWOTH)
            if safe != mode:
                os.chmod(name, safe, dir_fd=dir_fd)
    _visit(workdir, take)
    return removed


def _links_to_outside(workdir: Path) -> dict[tuple[int, int], str]:
    """{(dev, inode): a name} of the files with more hard links than found inside the work dir."""
    links: dict[tuple[int, int], list] = {}

    def count(dir_fd, name, entry):
        if not stat.S_ISDIR(entry.st_mode) and entry.st_nlink > 1:
            links.setdefault((entry.st_dev, entry.st_ino), [entry.st_nlink, 0, name])[1] += 1
    _visit(workdir, count)
    return {key: name for key, (nlink, inside, name) in links.items() if inside < nlink}


def _visit(root: Path, visit) -> None:
    """visit(dir fd, name, lstat) for root and everything below it, never following symlinks
    (fd-relative, so a swapped-in symlink cannot redirect a chown outside the tree)."""
    parent_fd = os.open(root.parent, os.O_RDONLY | os.O_DIRECTORY)
    try:
        visit(parent_fd, root.name, os.stat(root.name, dir_fd=parent_fd, follow_symlinks=False))
    finally:
        os.close(parent_fd)
    for _, _, _, dir_fd in os.fwalk(root, follow_symlinks=False):
        for name in os.listdir(dir_fd):
            try:
                entry = os.stat(name, dir_fd=dir_fd, follow_symlinks=False)
            except FileNotFoundError:
                continue
            visit(dir_fd, name, entry)


# --------------------------------------------------------------------------- launching

_STAGE_SCRIPT = r'''
set -eu
stage=$1; count=$2; shift 2
mount -t tmpfs -o mode=0755,size=1m,nosuid,nodev,noexec course-sandbox-stage "$stage"
i=0
while [ "$i" -lt "$count" ]; do
  if [ -d "$1" ]; then mkdir "$stage/$i"; else : > "$stage/$i"; fi
  mount --rbind "$1" "$stage/$i"
  i=$((i + 1)); shift
done
exec "$@"
'''

# The first thing run inside: a per-run nonce on stderr proves that set-up succeeded (errors of
# bubblewrap or of the staging come before it), then it becomes the command. $0 is the nonce.
_START_SCRIPT = 'printf "%s\\n" "$0" >&2 && exec "$@"'


def _execute(run: _Run, argv, workdir: Path, binds: list[_Bind], environment, pass_fds=()) -> SandboxResult:
    limits, user = run.limits, run.user
    info_read, info_write = os.pipe()  # bubblewrap reports the host pid of its pid-1 reaper there
    options_fd = None
    nonce = f"course-sandbox-started-{uuid.uuid4().hex}"
    start = ["/bin/sh", "-c", _START_SCRIPT, nonce, *argv]
    drop = []
    if user.dedicated:
        drop = [_tool("setpriv") or "setpriv", f"--reuid={user.uid}", f"--regid={user.gid}",
                "--clear-groups", "--inh-caps=-all", "--bounding-set=-all", "--no-new-privs"]
    started = time.monotonic()
    try:
        if run.isolation == "bubblewrap":
            sources = [b.source for b in binds]
            if user.dedicated:
                staged = [STAGE_DIR / str(i) for i in range(len(binds))]
            else:
                staged = sources  # the current user can reach its own venv and work dir
            # The options (the environment's values among them) go through a memfd, not argv:
            # bubblewrap's command line is world-readable on the host and, as the command line of
            # its pid 1, readable by the student's code inside.
            options = [*_bwrap_options(binds, staged, workdir, limits, environment),
                       "--info-fd", str(info_write)]
            options_fd = os.memfd_create("course-sandbox-options", 0)  # inheritable: no MFD_CLOEXEC
            os.write(options_fd, b"".join(o.encode() + b"\0" for o in options))
            os.lseek(options_fd, 0, os.SEEK_SET)
            command = (drop + ["--"] if drop else []) + [
                _tool("bwrap") or "bwrap", "--args", str(options_fd), "--", *start]
            if user.dedicated:
                command = [_tool("unshare") or "unshare", "--mount", "--propagation", "private", "--",
                           "/bin/sh", "-c", _STAGE_SCRIPT, "stage", str(STAGE_DIR), str(len(binds)),
                           *map(str, sources), *command]
            process_env = {"PATH": "/usr/sbin:/usr/bin:/sbin:/bin"}  # bwrap --clearenv drops it
            cwd = "/"
        else:
            command = (drop + ["--pdeathsig=KILL", "--"] if drop else []) + start
            process_env, cwd = environment, str(workdir)
        run.proc = subprocess.Popen(
            command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            env=process_env, cwd=cwd, start_new_session=True,
            # the fallback gets no info fd: student code could write a fake pid into it
            pass_fds=((info_write, options_fd) if run.isolation == "bubblewrap" else ()) + tuple(pass_fds),
            preexec_fn=_rlimit_setter(
                limits, pdeathsig=not user.dedicated and run.isolation == "fallback",
                cgroup_procs=run.group.procs_files() if run.group is not None else ()))
    except BaseException as error:
        os.close(info_read)
        if isinstance(error, OSError):
            raise SandboxError(f"cannot start the sandbox: {error}") from error
        raise
    finally:
        os.close(info_write)
        if options_fd is not None:
            os.close(options_fd)
    outcome = _supervise(run, nonce.encode() + b"\n", info_read, started)
    note = "" if user.dedicated else (
        f"not root: ran as the current user {user.name}; slots share its RLIMIT_NPROC budget "
        f"and its other processes count against it")
    if not outcome["ready"]:
        raise SandboxError(f"sandbox set-up failed before the command started "
                           f"(exit {outcome['returncode']}): {outcome['stderr'].strip()[-2000:]}")
    return SandboxResult(
        returncode=outcome["returncode"], timed_out=outcome["timed_out"], isolation=run.isolation,
        warning=FALLBACK_WARNING if run.isolation == "fallback" else "",
        stdout=outcome["stdout"], stderr=outcome["stderr"],
        wall_seconds=time.monotonic() - started, user=user.name, note=note)


def _bwrap_options(binds: list[_Bind], staged, workdir: Path, limits: Limits,
                   environment) -> list[str]:
    args = ["--unshare-all", "--unshare-user", "--disable-userns", "--die-with-parent",
            "--new-session", "--cap-drop", "ALL", "--hostname", "sandbox",
            "--ro-bind", "/usr", "/usr"]
    for top in TOP_LEVEL_LINKS:
        if os.path.islink(top):
            args += ["--symlink", os.readlink(top), top]
        elif os.path.isdir(top):
            args += ["--ro-bind", top, top]
    args += ["--ro-bind", "/etc", "/etc", "--proc", "/proc", "--dev", "/dev",
             # a bind under /tmp must come after this tmpfs, or the tmpfs hides it
             "--size", str(limits.tmp_bytes), "--tmpfs", "/tmp",
             "--size", str(limits.tmp_bytes), "--tmpfs", "/dev/shm",
             "--perms", "0700", "--dir", SANDBOX_HOME]
    for bind, source in zip(binds, staged):
        args += ["--bind" if bind.writable else "--ro-bind", str(source), str(bind.dest)]
    args += ["--remount-ro", "/", "--chdir", str(workdir), "--clearenv"]
    for key, value in environment.items():
        args += ["--setenv", key, value]
    return args


def _rlimit_setter(limits: Limits, pdeathsig: bool, cgroup_procs=()):
    """Runs in the child between fork and exec: join the run's cgroup (before anything can fork,
    so every process of the run is in it), setrlimit, prctl; no setsid, no uid change."""
    values = [(resource.RLIMIT_AS, limits.memory_bytes), (resource.RLIMIT_CPU, limits.cpu_seconds),
              (resource.RLIMIT_NPROC, limits.processes), (resource.RLIMIT_FSIZE, limits.file_bytes),
              (resource.RLIMIT_NOFILE, limits.open_files)]
    prctl = ctypes.CDLL(None).prctl if pdeathsig else None

    def apply():
        if cgroup_procs:
            cgroups.join(list(cgroup_procs))
        for which, value in values:
            resource.setrlimit(which, (value, value))  # hard = soft: the code cannot raise them
        if prctl is not None:
            prctl(1, signal.SIGKILL, 0, 0, 0)  # PR_SET_PDEATHSIG: die with a crashed grader
    return apply


# --------------------------------------------------------------------------- supervising

class _Tail:
    def __init__(self):
        self.data = bytearray()

    def add(self, chunk: bytes) -> None:
        self.data += chunk
        if len(self.data) > 2 * TAIL_BYTES:
            del self.data[:-TAIL_BYTES]

    def text(self) -> str:
        return bytes(self.data[-TAIL_BYTES:]).decode("utf-8", errors="replace")


def _supervise(run: _Run, nonce: bytes, info_fd: int, started: float) -> dict:
    proc, deadline = run.proc, started + run.limits.wall_seconds
    out_tail, err_tail = _Tail(), _Tail()
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
                    _kill_leftovers(run)  # escapees would keep the pipes open forever
                    cleaned = True  # nothing of the run is left, so nothing can start again
                    drain_until = time.monotonic() + DRAIN_SECONDS
                elif now >= deadline:
                    timed_out = exited = True
                    _kill_leftovers(run)
                    cleaned = True
                    drain_until = time.monotonic() + DRAIN_SECONDS
                elif run.isolation == "fallback" and not run.user.dedicated:
                    # remember them all before one can escape
                    run.seen |= {(pid, _start_time(pid)) for pid in _run_processes(run, _proc_table())}
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
                        _remember_reaper(run, bytes(info))
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
            _kill_leftovers(run)
    returncode = proc.returncode
    if returncode is not None and returncode < 0:
        returncode = 128 - returncode  # as bubblewrap and shells report a death by signal
    if not ready:
        err_tail.add(bytes(before_start))
    return {"ready": ready, "timed_out": timed_out, "returncode": None if timed_out else returncode,
            "stdout": out_tail.text(), "stderr": err_tail.text()}


def _remember_reaper(run: _Run, info: bytes) -> None:
    """bubblewrap's pid 1 outlives its outer process as an orphan; note it to reap it later."""
    found = re.search(rb'"child-pid"\s*:\s*(\d+)', info)
    if found:
        pid = int(found.group(1))
        start = _start_time(pid)
        if start is not None:
            run.seen.add((pid, start))


def _run_processes(run: _Run, table: dict[int, _Proc]) -> set[int]:
    """Every live or zombie process that belongs to this run."""
    me, proc = os.getpid(), run.proc
    if run.user.dedicated:
        pids = {pid for pid, info in table.items() if run.user.uid in info.uids}
    else:
        # proc.pid only while not reaped: afterwards the pid may belong to someone else
        roots = {proc.pid} if proc is not None and proc.returncode is None else set()
        roots |= {pid for pid, start in run.seen if pid in table and _start_time(pid) == start}
        if run.isolation == "fallback":
            # setsid() escapees are re-parented to us (subreaper) and still carry the marker
            roots |= {pid for pid, info in table.items()
                      if info.ppid == me and _environ_has(pid, run.marker)}
        pids = _descendants(table, roots)
    pids.discard(me)
    return pids


def _kill_leftovers(run: _Run) -> None:
    """SIGKILL every process of the run until none is left; reap the ones that are our children."""
    proc, me = run.proc, os.getpid()
    give_up = time.monotonic() + KILL_GRACE_SECONDS
    while True:
        table = _proc_table()
        live = set()
        pids = _run_processes(run, table)
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
        run.seen |= {(pid, _start_time(pid)) for pid in live}
        if proc is not None and proc.returncode is None:
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        for pid in live:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
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
