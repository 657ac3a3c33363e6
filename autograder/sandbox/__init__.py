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

The modules, in the order a run meets them: users (who runs it, which slot), mounts (what it
sees), cgroups (what it may use together), launch (starting it), supervise (watching it and killing
what it leaves), workdir (handing the work dir over and back), procs (the process table); run ties
them together. base holds what they share.

See docs/SANDBOX.md for the whole picture and how to verify a new machine.
"""
from .base import (
                   CGROUP_FALLBACK_WARNING,
                   FALLBACK_WARNING,
                   SLOT_COUNT,
                   Limits,
                   SandboxError,
                   SandboxResult,
                   SandboxUser,
)
from .mounts import runtime_paths
from .run import cgroup_support, probe_isolation, run_sandboxed
from .tools import describe_bubblewrap
from .users import ensure_sandbox_users, sandbox_user, slot, user_processes

__all__ = [
    "CGROUP_FALLBACK_WARNING", "FALLBACK_WARNING", "Limits", "SandboxError", "SandboxResult",
    "SandboxUser", "SLOT_COUNT", "cgroup_support", "describe_bubblewrap", "ensure_sandbox_users", "probe_isolation",
    "run_sandboxed", "runtime_paths", "sandbox_user", "slot", "user_processes",
]
