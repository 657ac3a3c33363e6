"""Handing the work dir to the sandbox user and taking it back, without following links out."""
from __future__ import annotations

import os
import stat
from pathlib import Path

from .base import SandboxError, SandboxUser


def hand_over(workdir: Path, user: SandboxUser) -> tuple[int, int] | None:
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
        take_back(workdir, owner)  # never leave a half-handed-over work dir behind
        raise
    return owner


def take_back(workdir: Path, owner: tuple[int, int]) -> list[str]:
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
