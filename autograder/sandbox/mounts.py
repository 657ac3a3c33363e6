"""What a sandbox sees: the read-only paths it needs, the binds, its environment."""
from __future__ import annotations

import os
import stat
import sys
import tempfile
from pathlib import Path

from .base import FORBIDDEN_WORKDIR_ROOTS, SANDBOX_HOME, SYSTEM_DIRS, Bind, SandboxError, SandboxUser


def covered(path: Path, roots) -> bool:
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
            if variant not in found and not covered(variant, SYSTEM_DIRS) and variant != Path("/"):
                found.append(variant)
    # keep the outermost of nested paths: the inner ones come along
    return sorted(p for p in found if not any(q != p and q in p.parents for q in found))


def plan_binds(workdir: Path, readonly: list[Path]) -> list[Bind]:
    if workdir == Path("/") or covered(workdir, FORBIDDEN_WORKDIR_ROOTS):
        raise ValueError(f"work dir {workdir} lies in a system directory; use a dedicated folder")
    binds: list[Bind] = []
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
            if covered(dest, SYSTEM_DIRS) or any(dest == b.dest for b in binds):
                continue
            binds.append(Bind(Path(os.path.realpath(path)), dest))
    # a path inside another bound path is visible already; parents first so mounts nest
    binds = [b for b in binds if not any(o.dest in b.dest.parents for o in binds)]
    binds.sort(key=lambda b: (len(b.dest.parts), str(b.dest)))
    binds.append(Bind(workdir, workdir, writable=True))
    return binds


def sandbox_environment(binds: list[Bind], extra: dict[str, str] | None) -> dict[str, str]:
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


def check_reachable(user: SandboxUser, paths: list[Path]) -> None:
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


def private_home(user: SandboxUser) -> Path:
    home = Path(tempfile.mkdtemp(prefix="course-sandbox-home-"))
    if user.dedicated:
        os.chown(home, user.uid, user.gid)
    return home
