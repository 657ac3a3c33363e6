"""Data sets an assignment declares: files its notebooks read that are not committed beside them.

An assignment lists them in `source/<assignment>/datasets.toml`, one `[[dataset]]` table each:

    [[dataset]]
    id = "tinyshakespeare"          # names the cache folder and the messages
    file = "input.txt"              # the name the notebooks open, in their own folder
    url = "https://..."             # the canonical copy
    sha256 = "86c4..."              # what every copy must hash to
    env = "TINYSHAKESPEARE_PATH"    # optional: a variable that may name a local copy

Where a file comes from, first match wins: the file named by `env` (CI points it at a local
copy); the user's cache, `$XDG_CACHE_HOME/dl-course-kit/<id>/<file>` (~/.cache by default),
shared by every course folder on the machine; a download into that cache. Whatever the source,
the SHA-256 must match: a truncated download or another edition would change every number the
notebooks and their tests expect. The grader puts each file into every sandbox run of the
assignment's notebooks, because the sandbox has no network. Adding a data set is a new entry
here, never new code.
"""
from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
import tomllib
import urllib.request
from dataclasses import dataclass
from pathlib import Path

MANIFEST = "datasets.toml"


class DatasetError(RuntimeError):
    """A data set is missing, misdeclared or not the expected file; the message says how to fix it."""


@dataclass(frozen=True)
class Dataset:
    id: str
    file: str
    url: str
    sha256: str
    env: str | None = None

    def cache_path(self, cache_dir: Path | None = None) -> Path:
        base = cache_dir or Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "dl-course-kit"
        return Path(base) / self.id / self.file


def declared(root: Path, assignment: str) -> list[Dataset]:
    """The data sets source/<assignment>/datasets.toml declares (none without the file)."""
    path = Path(root) / "source" / assignment / MANIFEST
    if not path.is_file():
        return []
    try:
        tables = tomllib.loads(path.read_text(encoding="utf-8")).get("dataset", [])
        found = [Dataset(**table) for table in tables]
    except (tomllib.TOMLDecodeError, TypeError) as err:
        raise DatasetError(f"{path}: {err} (each [[dataset]] needs id, file, url, sha256, and may "
                           f"have env)") from err
    for dataset in found:
        if Path(dataset.file).name != dataset.file or dataset.file in ("", ".", ".."):
            raise DatasetError(f"{path}: file {dataset.file!r} must be a plain file name")
    return found


def sha256_of(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def verified(dataset: Dataset, path: Path) -> Path:
    path = Path(path)
    if not path.is_file():
        raise DatasetError(f"{path}: no such file")
    digest = sha256_of(path)
    if digest != dataset.sha256:
        raise DatasetError(f"{path}: SHA-256 is {digest}, expected {dataset.sha256} (a partial download, "
                           "or a different file); delete it and try again")
    return path


def download(dataset: Dataset, target: Path, timeout: float = 60.0) -> Path:
    """Fetch the dataset's url into target through a temporary file, so a failed transfer
    leaves nothing behind."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=target.parent, delete=False) as tmp:
        try:
            with urllib.request.urlopen(dataset.url, timeout=timeout) as response:
                shutil.copyfileobj(response, tmp)
        except OSError as err:
            Path(tmp.name).unlink(missing_ok=True)
            hint = f"; without internet, set {dataset.env} to a local copy of {dataset.file}" if dataset.env else ""
            raise DatasetError(f"could not download {dataset.id} from {dataset.url}: {err}{hint}") from err
    try:
        verified(dataset, Path(tmp.name))
    except DatasetError:
        Path(tmp.name).unlink(missing_ok=True)
        raise
    os.replace(tmp.name, target)
    return target


def locate(dataset: Dataset, cache_dir: Path | None = None, allow_download: bool = True) -> Path:
    """A verified local copy of the data set (see the module doc for the order)."""
    named = os.environ.get(dataset.env) if dataset.env else None
    if named:
        return verified(dataset, Path(named).expanduser())
    cached = dataset.cache_path(cache_dir)
    if cached.exists():
        return verified(dataset, cached)
    if not allow_download:
        hint = f": set {dataset.env} to a local copy of {dataset.file}" if dataset.env else ""
        raise DatasetError(f"{dataset.id} is not available{hint}")
    return download(dataset, cached)


def external_files(root: Path, assignment: str) -> dict[str, Path]:
    """{file name in the notebooks' folder: verified local path} for every declared data set."""
    return {dataset.file: locate(dataset) for dataset in declared(root, assignment)}
