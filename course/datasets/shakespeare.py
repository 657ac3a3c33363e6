"""Tiny shakespeare, the text assignment 04's character-level GPT trains on.

It is not committed. Where it comes from, first match wins:
1. the file named by TINYSHAKESPEARE_PATH (CI points it at a local copy);
2. the user's cache, `$XDG_CACHE_HOME/dl-course-kit/tinyshakespeare/input.txt` (~/.cache by
   default), shared by every course folder on the machine (the demo builds a fresh one each run);
3. a download of the canonical file into that cache.
Whatever the source, the SHA-256 must match: a truncated download or another edition of the text
would change every loss the notebook and its tests expect.

The grader copies the file into each graded notebook's working folder as `input.txt`, because the
sandbox has no network; the notebook itself looks for TINYSHAKESPEARE_PATH, then `input.txt`, then
downloads, with the same check.
"""
from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
import urllib.request
from pathlib import Path

ENV_VAR = "TINYSHAKESPEARE_PATH"
URL = "https://raw.githubusercontent.com/karpathy/char-rnn/master/data/tinyshakespeare/input.txt"
SHA256 = "86c4e6aa9db7c042ec79f339dcb96d42b0075e16b8fc2e86bf0ca57e2dc565ed"
NUM_CHARS = 1_115_394
FILE_NAME = "input.txt"


class DatasetError(RuntimeError):
    """The data set is missing or is not the expected file; the message says how to fix it."""


def sha256_of(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def verified(path: Path) -> Path:
    path = Path(path)
    if not path.is_file():
        raise DatasetError(f"{path}: no such file")
    digest = sha256_of(path)
    if digest != SHA256:
        raise DatasetError(f"{path}: SHA-256 is {digest}, expected {SHA256} (a partial download, "
                           "or a different text); delete it and try again")
    return path


def cache_path(cache_dir: Path | None = None) -> Path:
    base = cache_dir or Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "dl-course-kit"
    return Path(base) / "tinyshakespeare" / FILE_NAME


def download(target: Path, url: str | None = None, timeout: float = 60.0) -> Path:
    """Fetch url (the canonical file by default) into target through a temporary file, so a
    failed transfer leaves nothing behind."""
    url = url or URL
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=target.parent, delete=False) as tmp:
        try:
            with urllib.request.urlopen(url, timeout=timeout) as response:
                shutil.copyfileobj(response, tmp)
        except OSError as err:
            Path(tmp.name).unlink(missing_ok=True)
            raise DatasetError(f"could not download tiny shakespeare from {url}: {err}; without "
                               f"internet, set {ENV_VAR} to a local copy of input.txt") from err
    try:
        verified(Path(tmp.name))
    except DatasetError:
        Path(tmp.name).unlink(missing_ok=True)
        raise
    os.replace(tmp.name, target)
    return target


def locate(cache_dir: Path | None = None, allow_download: bool = True) -> Path:
    """A verified local copy of tiny shakespeare (see the module doc for the order)."""
    named = os.environ.get(ENV_VAR)
    if named:
        return verified(Path(named).expanduser())
    cached = cache_path(cache_dir)
    if cached.exists():
        return verified(cached)
    if not allow_download:
        raise DatasetError(f"tiny shakespeare is not available: set {ENV_VAR} to a local copy of input.txt")
    return download(cached)
