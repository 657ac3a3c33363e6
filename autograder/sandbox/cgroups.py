"""One control group per sandbox run: CPU, memory and processes of the whole run, together.

rlimits are per process (RLIMIT_AS) or per user (RLIMIT_NPROC): five children of one
submission each stayed under RLIMIT_AS and held 3.9 GiB together, and busy children
took the CPU from every other job on the machine. A cgroup bounds the run as a whole:
`cpus` CPUs at most (a quota, so one job cannot take the core another job is on),
`memory_bytes` of memory for all its processes and its tmpfs pages together (the kernel's
OOM killer picks inside the group), and `processes` tasks.

cgroup v2 is used where the machine has it (one unified hierarchy with the cpu, memory
and pids controllers), cgroup v1 where it has only that (separate cpu, memory and pids
hierarchies, as on this project's CI machines). Without either (not root, a container
without a writable cgroupfs) the run goes on with rlimits only and `available()` says
why, which the grader reports loudly.
"""
from __future__ import annotations

import os
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

from .procs import kill_each

CGROUP_ROOT = Path("/sys/fs/cgroup")
GROUP_NAME = "course-sandbox"
CPU_PERIOD_US = 100_000
V1_CONTROLLERS = ("cpu", "memory", "pids")


@dataclass(frozen=True)
class GroupLimits:
    cpus: float            # CPU quota in CPUs
    memory_bytes: int      # memory of every process of the run together (tmpfs pages included)
    processes: int         # tasks (processes and threads) of the run together


def _write(path: Path, value: str) -> None:
    with open(path, "w") as handle:
        handle.write(value)


def _version(root: Path) -> str | None:
    """'v2', 'v1', or None: which hierarchy can hold our groups on this machine."""
    controllers = root / "cgroup.controllers"
    if controllers.is_file():
        try:
            available = set(controllers.read_text().split())
        except OSError:
            return None
        return "v2" if {"cpu", "memory", "pids"} <= available else None
    if all((root / c / "cgroup.procs").is_file() for c in V1_CONTROLLERS):
        return "v1"
    return None


def available(root: Path = CGROUP_ROOT) -> tuple[str | None, str]:
    """(version, reason): the version usable here, or None and why not."""
    if os.geteuid() != 0:
        return None, "not root: cgroups cannot be created, each sandbox has rlimits only"
    version = _version(root)
    if version is None:
        return None, f"no cgroup v2 with cpu, memory and pids, nor cgroup v1 hierarchies under {root}"
    try:
        probe = RunGroup.create(GroupLimits(1.0, 64 << 20, 16), root)
        probe.remove()
    except OSError as err:
        return None, f"cgroup {version} is not writable here: {err}"
    return version, ""


class RunGroup:
    """The cgroup(s) of one run: created before it starts, emptied and removed after it."""

    def __init__(self, version: str, paths: list[Path]):
        self.version = version
        self.paths = paths                      # one per v1 controller, or the single v2 group

    @classmethod
    def create(cls, limits: GroupLimits, root: Path = CGROUP_ROOT) -> RunGroup:
        version = _version(root)
        if version is None:
            raise OSError("no usable cgroup hierarchy")
        name = f"run-{uuid.uuid4().hex[:12]}"
        quota = str(max(1000, int(limits.cpus * CPU_PERIOD_US)))
        if version == "v2":
            parent = root / GROUP_NAME
            parent.mkdir(exist_ok=True)
            # children of the parent get the three controllers
            _write(root / "cgroup.subtree_control", "+cpu +memory +pids")
            _write(parent / "cgroup.subtree_control", "+cpu +memory +pids")
            group = parent / name
            group.mkdir()
            made = cls("v2", [group])
            try:
                _write(group / "cpu.max", f"{quota} {CPU_PERIOD_US}")
                _write(group / "memory.max", str(limits.memory_bytes))
                if (group / "memory.swap.max").exists():
                    _write(group / "memory.swap.max", "0")
                _write(group / "pids.max", str(limits.processes))
            except OSError:
                made.remove()
                raise
            return made
        made = cls("v1", [])
        try:
            for controller in V1_CONTROLLERS:
                parent = root / controller / GROUP_NAME
                parent.mkdir(exist_ok=True)
                group = parent / name
                group.mkdir()
                made.paths.append(group)
                if controller == "cpu":
                    _write(group / "cpu.cfs_period_us", str(CPU_PERIOD_US))
                    _write(group / "cpu.cfs_quota_us", quota)
                elif controller == "memory":
                    _write(group / "memory.limit_in_bytes", str(limits.memory_bytes))
                    swap = group / "memory.memsw.limit_in_bytes"
                    if swap.exists():
                        _write(swap, str(limits.memory_bytes))
                else:
                    _write(group / "pids.max", str(limits.processes))
        except OSError:
            made.remove()
            raise
        return made

    def procs_files(self) -> list[str]:
        """Where a process writes its own pid to join (done between fork and exec)."""
        return [str(p / "cgroup.procs") for p in self.paths]

    def members(self) -> set[int]:
        pids = set()
        for path in self.paths:
            try:
                pids |= {int(x) for x in (path / "cgroup.procs").read_text().split()}
            except (OSError, ValueError):
                continue
        return pids

    def memory_limit_hit(self) -> bool:
        """True when the group's OOM killer ran (v2: memory.events, v1: memory.oom_control)."""
        return self.oom_kills() > 0

    def oom_kills(self) -> int:
        """How many times the group's OOM killer has killed so far (a warm sandbox compares
        the count before and after each run)."""
        kills = 0
        for path in self.paths:
            for name in ("memory.events", "memory.oom_control"):
                try:
                    text = (path / name).read_text()
                except OSError:
                    continue
                for line in text.splitlines():
                    key, _, count = line.partition(" ")
                    if key == "oom_kill" and count.strip().isdigit():
                        kills += int(count)
        return kills

    def kill_all(self, grace: float = 5.0) -> set[int]:
        """SIGKILL every member until none is left (a fork racing the kill joins the group,
        so it is found on the next round); returns what was still there after `grace` seconds."""
        deadline = time.monotonic() + grace
        while True:
            members = self.members()
            if not members:
                return set()
            kill_each(members)
            if time.monotonic() > deadline:
                return self.members()
            time.sleep(0.02)

    def remove(self) -> None:
        for path in reversed(self.paths):
            for _ in range(50):
                try:
                    path.rmdir()
                    break
                except FileNotFoundError:
                    break
                except OSError:  # members still exiting
                    time.sleep(0.02)


def join(procs_files: list[str]) -> None:
    """Put the calling process into the group (runs in the child between fork and exec)."""
    pid = str(os.getpid())
    for path in procs_files:
        fd = os.open(path, os.O_WRONLY)
        try:
            os.write(fd, pid.encode())
        finally:
            os.close(fd)
