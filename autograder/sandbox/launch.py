"""Starting one run: staging mounts as root, dropping to the sandbox user, bubblewrap, rlimits."""
from __future__ import annotations

import ctypes
import os
import resource
import signal
import subprocess
import time
import uuid
from pathlib import Path

from . import cgroups
from .base import (
    FALLBACK_WARNING,
    SANDBOX_HOME,
    STAGE_DIR,
    TOP_LEVEL_LINKS,
    Bind,
    Limits,
    Run,
    SandboxError,
    SandboxResult,
)
from .supervise import supervise
from .tools import bubblewrap, tool

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


def execute(run: Run, argv, workdir: Path, binds: list[Bind], environment, pass_fds=()) -> SandboxResult:
    limits, user = run.limits, run.user
    info_read, info_write = os.pipe()  # bubblewrap reports the host pid of its pid-1 reaper there
    options_fd = None
    nonce = f"course-sandbox-started-{uuid.uuid4().hex}"
    start = ["/bin/sh", "-c", _START_SCRIPT, nonce, *argv]
    drop = []
    if user.dedicated:
        drop = [tool("setpriv") or "setpriv", f"--reuid={user.uid}", f"--regid={user.gid}",
                "--clear-groups", "--inh-caps=-all", "--bounding-set=-all", "--no-new-privs"]
    started = time.monotonic()
    try:
        if run.isolation == "bubblewrap":
            bwrap = bubblewrap()
            if bwrap is None:
                raise SandboxError("bubblewrap (bwrap) is not installed")
            sources = [b.source for b in binds]
            program = str(bwrap.path)
            if user.dedicated:
                staged = [STAGE_DIR / str(i) for i in range(len(binds))]
                if bwrap.from_wheel:
                    # the wheel's bwrap sits in the venv, which the sandbox user may not reach on
                    # the host (a venv under /root): staged like the venv, never bound inside
                    program = str(STAGE_DIR / str(len(sources)) / bwrap.path.relative_to(bwrap.root))
                    sources.append(bwrap.root)
            else:
                staged = sources  # the current user can reach its own venv and work dir
            # The options (the environment's values among them) go through a memfd, not argv:
            # bubblewrap's command line is world-readable on the host and, as the command line of
            # its pid 1, readable by the student's code inside.
            options = [*bwrap_options(binds, staged, workdir, limits, environment, run.as_pid_1),
                       "--info-fd", str(info_write)]
            options_fd = os.memfd_create("course-sandbox-options", 0)  # inheritable: no MFD_CLOEXEC
            os.write(options_fd, b"".join(o.encode() + b"\0" for o in options))
            os.lseek(options_fd, 0, os.SEEK_SET)
            command = (drop + ["--"] if drop else []) + [
                program, "--args", str(options_fd), "--", *start]
            if user.dedicated:
                command = [tool("unshare") or "unshare", "--mount", "--propagation", "private", "--",
                           "/bin/sh", "-c", _STAGE_SCRIPT, "stage", str(STAGE_DIR), str(len(sources)),
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
            preexec_fn=rlimit_setter(
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
    outcome = supervise(run, nonce.encode() + b"\n", info_read, started)
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


def bwrap_options(binds: list[Bind], staged, workdir: Path, limits: Limits,
                   environment, as_pid_1: bool = False) -> list[str]:
    args = ["--unshare-all", "--unshare-user", "--disable-userns", "--die-with-parent",
            "--new-session", "--cap-drop", "ALL", "--hostname", "sandbox",
            "--ro-bind", "/usr", "/usr"]
    if as_pid_1:  # no reaper of bubblewrap's: the command is init, and reaps (and kills) itself
        args.insert(0, "--as-pid-1")
    for top in TOP_LEVEL_LINKS:
        if os.path.islink(top):
            args += ["--symlink", os.readlink(top), top]
        elif os.path.isdir(top):
            args += ["--ro-bind", top, top]
    args += ["--ro-bind", "/etc", "/etc", "--proc", "/proc", "--dev", "/dev",
             # a bind under /tmp must come after this tmpfs, or the tmpfs hides it
             "--size", str(limits.tmp_bytes), "--tmpfs", "/tmp",
             "--size", str(limits.tmp_bytes), "--tmpfs", "/dev/shm",
             # bubblewrap's /dev is a tmpfs the sandbox user owns: read-only, nothing can be
             # planted or swapped there (/dev/stdout, /dev/fd are symlinks in it); /dev/shm and
             # /dev/pts are mounts of their own and stay writable
             "--remount-ro", "/dev",
             "--perms", "0700", "--dir", SANDBOX_HOME]
    for bind, source in zip(binds, staged):
        args += ["--bind" if bind.writable else "--ro-bind", str(source), str(bind.dest)]
    args += ["--remount-ro", "/", "--chdir", str(workdir), "--clearenv"]
    for key, value in environment.items():
        args += ["--setenv", key, value]
    return args


PR_SET_PDEATHSIG = 1   # prctl: the signal a process gets when its parent ends


def rlimit_setter(limits: Limits, pdeathsig: bool, cgroup_procs=()):
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
            prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)  # die with a crashed grader
    return apply
