"""Reading what comes out of a sandbox: every byte of it is hostile data.

The files a job leaves in its work dir were written by student code running as
the sandbox user. Any of them may be a FIFO (an `open` would block forever), a
symlink to `/dev/zero` (`stat` says 0 bytes, a read never ends), a directory,
JSON nested 100,000 levels deep (`RecursionError` in the parser), a status entry
without its fields, or a MIME bundle whose image is a number. Everything here
opens only regular files, reads a bounded number of bytes, parses with bounded
depth and size, and returns plain, well-typed data, so the code that decides
points and renders pages never meets a surprise.
"""
from __future__ import annotations

import base64
import binascii
import json
import os
import re
import stat

import nh3

MAX_DEPTH = 64                 # nesting of any JSON value a job hands back
MAX_STATUS_BYTES = 1 << 20
MAX_STATUS_CELLS = 20_000
MAX_OUTPUTS_PER_CELL = 50      # more are merged (streams) or dropped, with a note
MAX_OUTPUTS_TOTAL = 2_000
MAX_OUTPUT_CHARS = 100_000     # one output's text
MAX_IMAGE_CHARS = 4 << 20      # one base64 image
MAX_TRACEBACK_LINES = 200
CELL_STATUSES = {"ok", "error", "timeout", "running"}
IMAGE_MIMES = {"image/png": b"\x89PNG\r\n\x1a\n", "image/jpeg": b"\xff\xd8\xff"}
# Kept MIME types. HTML goes through nh3 (a maintained sanitiser: no script, no event handlers,
# no javascript: links), because formgrader renders it inside the instructor's Jupyter origin.
# JavaScript, SVG (it can carry script), widgets, Markdown and LaTeX outputs are dropped.
TEXT_MIMES = ("text/plain", "text/html")
_BASE64_RE = re.compile(r"^[A-Za-z0-9+/=\s]*$")


class Untrusted(ValueError):
    """Data from a sandbox that cannot be used; the message is safe to show."""


# ---------------------------------------------------------------- files

def read_regular_file(directory: str | os.PathLike, name: str, limit: int) -> bytes | None:
    """The bytes of directory/name if it is a regular file of at most `limit` bytes, else None.

    Opened relative to the directory with O_NOFOLLOW (a symlink is refused, not followed) and
    O_NONBLOCK (a FIFO cannot block the open); fstat on the open file decides, so the file
    cannot be swapped between the check and the read; at most limit + 1 bytes are read.
    """
    dir_fd = None
    fd = None
    try:
        dir_fd = os.open(directory, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW)
        fd = os.open(name, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_NOCTTY, dir_fd=dir_fd)
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or info.st_size > limit:
            return None
        chunks, total = [], 0
        while total <= limit:
            chunk = os.read(fd, min(1 << 20, limit + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
        return None if total > limit else b"".join(chunks)
    except OSError:
        return None
    finally:
        for handle in (fd, dir_fd):
            if handle is not None:
                os.close(handle)


# ---------------------------------------------------------------- JSON

# What json.loads makes besides lists and dicts: a list holding only these has no depth to check.
_SCALARS = frozenset((str, int, float, bool, type(None)))


def depth_ok(value, limit: int = MAX_DEPTH) -> bool:
    """True when no list or dict in value is nested deeper than limit (iterative: no recursion).

    Walks one level at a time. A list of scalars (an array's numbers, thousands of them) is
    passed over by the types it holds, counted in C (set(map(type, ...))), not element by element.
    """
    level = [value] if isinstance(value, (list, dict)) else []
    depth = 0
    while level:
        if depth >= limit:
            return False
        deeper = []
        for item in level:
            children = list(item.values()) if isinstance(item, dict) else item
            if not set(map(type, children)) <= _SCALARS:
                deeper.extend(c for c in children if isinstance(c, (list, dict)))
        level, depth = deeper, depth + 1
    return True


def loads_bounded(data: bytes | str, limit: int = MAX_DEPTH):
    """json.loads that turns every way hostile text can break it into Untrusted."""
    try:
        value = json.loads(data)
    except (ValueError, RecursionError, MemoryError, TypeError) as err:
        raise Untrusted(f"not readable JSON ({type(err).__name__})") from None
    if not depth_ok(value, limit):
        raise Untrusted(f"JSON nested deeper than {limit} levels")
    return value


# ---------------------------------------------------------------- status.json

def _int(value, default=None):
    return value if type(value) is int else default


def clean_status(raw: bytes | None) -> dict:
    """The executor's status with only well-typed fields; anything else is dropped.

    The status is written by the student's process, so it is evidence of nothing: the trusted
    side uses it only to say which cell was running when a kernel died.
    """
    empty = {"cells": [], "finished": False, "stopped_at": None, "stop_reason": None, "running": None}
    if not raw:
        return empty
    try:
        data = loads_bounded(raw, limit=8)
    except Untrusted:
        return empty
    if not isinstance(data, dict):
        return empty
    cells = []
    for entry in data.get("cells", []) if isinstance(data.get("cells"), list) else []:
        if len(cells) >= MAX_STATUS_CELLS:
            break
        if not isinstance(entry, dict) or _int(entry.get("index")) is None:
            continue
        status = entry.get("status")
        start = _int(entry.get("evidence_start"), 0)
        end = _int(entry.get("evidence_end"), start)
        known = isinstance(status, str) and status in CELL_STATUSES   # a list is unhashable: check the type first
        cells.append({"index": entry["index"], "status": status if known else "error",
                      "evidence_start": start, "evidence_end": end})
    reason = data.get("stop_reason")
    return {"cells": cells, "finished": data.get("finished") is True,
            "stopped_at": _int(data.get("stopped_at")), "running": _int(data.get("running")),
            "stop_reason": reason[:300] if isinstance(reason, str) else None}


# ---------------------------------------------------------------- notebook outputs

def sanitize_html(text: str, allowed_classes: dict[str, set[str]] | None = None) -> str:
    """HTML with everything that can run script removed (nh3's default allow-list); a `class`
    attribute survives only with the values allowed_classes names for its tag."""
    return nh3.clean(text, allowed_classes=allowed_classes)


def _text(value, limit: int = MAX_OUTPUT_CHARS) -> str | None:
    """A MIME value as text (nbformat allows a list of lines), bounded; None if it is not text."""
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        value = "".join(value)
    if not isinstance(value, str):
        return None
    if len(value) > limit:
        half = limit // 2
        value = value[:half] + f"\n... [{len(value) - limit} characters cut by the grader] ...\n" + value[-half:]
    return value


def clean_image(mime: str, value) -> str | None:
    """Well-formed base64 of an image of that type, without whitespace, else None."""
    text = _text(value, limit=MAX_IMAGE_CHARS + 1)
    if text is None or len(text) > MAX_IMAGE_CHARS or not _BASE64_RE.match(text):
        return None
    compact = "".join(text.split())
    try:
        raw = base64.b64decode(compact, validate=True)
    except (binascii.Error, ValueError):
        return None
    return compact if raw.startswith(IMAGE_MIMES[mime]) else None


def clean_output(output) -> dict | None:
    """One output reduced to the kinds and fields the trusted side renders, or None."""
    if not isinstance(output, dict):
        return None
    kind = output.get("output_type")
    if kind == "stream":
        text = _text(output.get("text"))
        name = output.get("name")
        if text is None:
            return None
        return {"output_type": "stream", "name": name if name in ("stdout", "stderr") else "stdout", "text": text}
    if kind == "error":
        ename, evalue = _text(output.get("ename"), 300), _text(output.get("evalue"), 2000)
        traceback = output.get("traceback")
        lines = [line[:2000] for line in traceback[:MAX_TRACEBACK_LINES] if isinstance(line, str)] \
            if isinstance(traceback, list) else []
        return {"output_type": "error", "ename": ename or "Error", "evalue": evalue or "", "traceback": lines}
    if kind in ("display_data", "execute_result"):
        data = output.get("data")
        if not isinstance(data, dict):
            return None
        kept = {}
        for mime in IMAGE_MIMES:
            if mime in data:
                image = clean_image(mime, data[mime])
                if image is not None:
                    kept[mime] = image
        for mime in TEXT_MIMES:
            text = _text(data.get(mime))
            if text is not None:
                kept[mime] = sanitize_html(text) if mime == "text/html" else text
        if not kept:
            return None
        cleaned = {"output_type": kind, "data": kept, "metadata": {}}
        if kind == "execute_result":
            cleaned["execution_count"] = _int(output.get("execution_count"))
        return cleaned
    return None


def clean_outputs(outputs, budget: list[int]) -> list[dict]:
    """A cell's outputs, cleaned and bounded: consecutive streams of one name merged, at most
    MAX_OUTPUTS_PER_CELL kept, and no more than budget[0] across the notebook (budget is shared
    by the caller's cells and counts down)."""
    if not isinstance(outputs, list):
        return []
    kept: list[dict] = []
    dropped = 0
    for output in outputs[:MAX_OUTPUTS_TOTAL * 4]:
        cleaned = clean_output(output)
        if cleaned is None:
            continue
        last = kept[-1] if kept else None
        if (cleaned["output_type"] == "stream" and last and last["output_type"] == "stream"
                and last["name"] == cleaned["name"] and len(last["text"]) < MAX_OUTPUT_CHARS):
            last["text"] = _text(last["text"] + cleaned["text"])
            continue
        if len(kept) >= MAX_OUTPUTS_PER_CELL or budget[0] <= 0:
            dropped += 1
            continue
        kept.append(cleaned)
        budget[0] -= 1
    if dropped or len(outputs) > MAX_OUTPUTS_TOTAL * 4:
        kept.append({"output_type": "stream", "name": "stderr",
                     "text": "[the grader dropped further outputs of this cell: too many]\n"})
    return kept


def executed_cells(raw: bytes | None, expected_sources: list[tuple[str, str]]) -> list[dict] | None:
    """Per cell of the notebook that was sent into the sandbox: {"outputs": [...], "execution_count": n}.

    None when the executed notebook is missing, unreadable, or no longer has exactly the cells
    that were sent (type and source): then nothing of it is used.
    """
    if not raw:
        return None
    try:
        data = loads_bounded(raw)
    except Untrusted:
        return None
    cells = data.get("cells") if isinstance(data, dict) else None
    if not isinstance(cells, list) or len(cells) != len(expected_sources):
        return None
    result, budget = [], [MAX_OUTPUTS_TOTAL]
    for cell, (kind, source) in zip(cells, expected_sources):
        if not isinstance(cell, dict) or cell.get("cell_type") != kind:
            return None
        found = cell.get("source")
        if isinstance(found, list) and all(isinstance(s, str) for s in found):
            found = "".join(found)
        if found != source:
            return None
        if kind != "code":
            result.append({"outputs": [], "execution_count": None})
            continue
        result.append({"outputs": clean_outputs(cell.get("outputs"), budget),
                       "execution_count": _int(cell.get("execution_count"))})
    return result
