"""The journal of finished jobs: how a killed batch resumes where it stopped."""
from __future__ import annotations

import json
import os
from pathlib import Path


def journal_path(root: Path, assignment: str) -> Path:
    return root / "autograded" / ".course-grade" / f"{assignment}.jsonl"


class Journal:
    """Append-only record of finished jobs; a torn last line (a kill mid-write) is ignored."""

    def __init__(self, path: Path):
        self.path = path
        self.done: dict[tuple[str, str], dict] = {}
        if path.exists():
            for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
                try:
                    entry = json.loads(line)
                    self.done[(entry["student"], entry["notebook"])] = entry
                except (ValueError, KeyError, TypeError):
                    continue

    def finished(self, student: str, notebook: str, digest: str) -> dict | None:
        entry = self.done.get((student, notebook))
        return entry if entry and entry.get("digest") == digest else None

    def append(self, entry: dict) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        line = json.dumps(entry, ensure_ascii=False) + "\n"
        with open(self.path, "a", encoding="utf-8") as f:
            f.write(line)
            f.flush()
            os.fsync(f.fileno())
        self.done[(entry["student"], entry["notebook"])] = entry
