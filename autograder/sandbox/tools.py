"""System tools the sandbox runs, found on the system's own PATH (never the caller's)."""
from __future__ import annotations

import shutil


def tool(name: str) -> str | None:
    return shutil.which(name, path="/usr/sbin:/usr/bin:/sbin:/bin")
