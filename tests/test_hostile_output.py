"""What comes out of a sandbox is hostile data: the trusted side reads it without blocking,
without unbounded memory or recursion, and without raising.

Each test writes what a student's code can leave in its work dir and reads it the way the
coordinator does.
"""
from __future__ import annotations

import json
import os
import threading

import pytest

from autograder.reports.feedback import feedback_page
from autograder.trusted import parse_evidence
from autograder.trusted.hostile import MAX_OUTPUTS_TOTAL, clean_status, executed_cells, read_regular_file

from browser_safety import unsafe_markup

LIMIT = 1 << 20


def read_in_thread(directory, name, limit=LIMIT):
    """read_regular_file, with a watchdog: a blocked open would hang the test, not the suite."""
    result = {}
    worker = threading.Thread(target=lambda: result.setdefault("data", read_regular_file(directory, name, limit)),
                              daemon=True)
    worker.start()
    worker.join(timeout=10)
    assert not worker.is_alive(), f"reading {name} blocked"
    return result["data"]


def test_a_regular_file_is_read(tmp_path):
    (tmp_path / "status.json").write_bytes(b'{"finished": true}')
    assert read_in_thread(tmp_path, "status.json") == b'{"finished": true}'


def test_a_fifo_is_refused_without_blocking(tmp_path):
    os.mkfifo(tmp_path / "status.json")
    assert read_in_thread(tmp_path, "status.json") is None


@pytest.mark.parametrize("target", ["/dev/zero", "/dev/urandom", "/etc/hostname"])
def test_a_symlink_is_refused_not_followed(tmp_path, target):
    os.symlink(target, tmp_path / "executed.ipynb")
    assert read_in_thread(tmp_path, "executed.ipynb") is None


def test_a_directory_or_missing_file_is_refused(tmp_path):
    (tmp_path / "evidence.jsonl").mkdir()
    assert read_in_thread(tmp_path, "evidence.jsonl") is None
    assert read_in_thread(tmp_path, "nothing.json") is None


def test_an_oversized_file_is_refused_unread(tmp_path):
    with open(tmp_path / "executed.ipynb", "wb") as f:
        f.truncate(10 << 30)  # sparse: 10 GiB that must not be read
    assert read_in_thread(tmp_path, "executed.ipynb", limit=64 << 20) is None


def test_a_symlinked_work_dir_is_refused(tmp_path):
    (tmp_path / "real").mkdir()
    (tmp_path / "real" / "status.json").write_text("{}")
    os.symlink(tmp_path / "real", tmp_path / "link")
    assert read_in_thread(tmp_path / "link", "status.json") is None


# ---------------------------------------------------------------- evidence

def test_evidence_nested_100000_deep_is_an_unreadable_line():
    good = json.dumps({"key": "k", "value": 1, "check": {}}).encode()
    deep = b"[" * 100_000 + b"]" * 100_000
    deep_value = b'{"key": "k", "value": ' + b"[" * 5000 + b"1" + b"]" * 5000 + b"}"
    evidence = parse_evidence(b"\n".join([good, deep, deep_value, b"\xff\xfe", b"null", b'{"key": 1}', good]))
    assert evidence.values == {"k": [1, 1]}
    assert len(evidence.problems) == 5


def test_evidence_with_a_million_lines_is_cut_and_noted():
    line = json.dumps({"key": "k", "value": 0}).encode() + b"\n"
    evidence = parse_evidence(line * 1_000_000)
    assert len(evidence.values["k"]) == 200_000
    assert any("more than" in p for p in evidence.problems)


# ---------------------------------------------------------------- status

@pytest.mark.parametrize("raw", [
    b"", b"[]", b"null", b"{", b'{"cells": 5}', b'{"cells": [{"bogus": true}, 3, null]}',
    b'{"cells": [{"index": "3", "status": {"a": 1}}], "stopped_at": {}, "stop_reason": [1]}',
    b"[" * 100_000, b'{"cells": [' + b"[" * 50_000 + b"]" * 50_000 + b"]}",
    b'{"cells": [{"index": 1, "status": []}, {"index": 2, "status": {"a": 1}}]}',  # found by the fuzz test
])
def test_status_is_always_well_typed(raw):
    status = clean_status(raw)
    assert set(status) == {"cells", "finished", "stopped_at", "stop_reason", "running"}
    assert all(type(e["index"]) is int and isinstance(e["status"], str) for e in status["cells"])
    assert status["stopped_at"] is None or type(status["stopped_at"]) is int
    assert status["stop_reason"] is None or isinstance(status["stop_reason"], str)


def test_status_keeps_good_entries_beside_bad_ones():
    raw = json.dumps({"cells": [{"bogus": 1}, {"index": 4, "status": "ok", "evidence_start": 0,
                                                "evidence_end": 10}], "finished": True}).encode()
    status = clean_status(raw)
    assert status["finished"] is True
    assert status["cells"] == [{"index": 4, "status": "ok", "evidence_start": 0,
                                "evidence_end": 10}]


# ---------------------------------------------------------------- executed notebook

SENT = [("markdown", "# title"), ("code", "print(1)")]


def executed(outputs, sources=SENT):
    cells = [{"cell_type": kind, "source": src, "metadata": {}, **({"outputs": outputs, "execution_count": 1}
                                                                 if kind == "code" else {})}
             for kind, src in sources]
    return json.dumps({"cells": cells, "nbformat": 4, "nbformat_minor": 5, "metadata": {}}).encode()


def test_outputs_of_the_wrong_shape_are_dropped_not_raised():
    outputs = [
        {"output_type": "display_data", "data": {"image/png": 5}},
        {"output_type": "display_data", "data": {"image/png": "x' onerror='alert(1)"}},
        {"output_type": "display_data", "data": {"image/png": "aGVsbG8="}},  # base64, but not a PNG
        {"output_type": "display_data", "data": {"text/plain": ["a", 1], "text/html": {"x": 1}}},
        {"output_type": "display_data", "data": "not a dict"},
        {"output_type": "stream", "name": "stdout", "text": 42},
        {"output_type": "error", "ename": None, "evalue": 3, "traceback": "no list"},
        {"output_type": "unknown"}, "text", None, 17,
    ]
    cells = executed_cells(executed(outputs), SENT)
    kept = cells[1]["outputs"]
    assert all(o["output_type"] != "display_data" for o in kept)
    assert kept == [{"output_type": "error", "ename": "Error", "evalue": "", "traceback": []}]


def test_a_real_png_is_kept_and_script_html_is_sanitised():
    png = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
    outputs = [{"output_type": "display_data", "data": {
        "image/png": png, "text/html": "<b>ok</b><script>alert(1)</script><img src=x onerror=alert(2)>",
        "application/javascript": "alert(3)", "image/svg+xml": "<svg onload=alert(4)></svg>"}}]
    kept = executed_cells(executed(outputs), SENT)[1]["outputs"][0]["data"]
    assert kept["image/png"] == png
    assert "<b>ok</b>" in kept["text/html"] and not unsafe_markup(kept["text/html"])
    assert set(kept) == {"image/png", "text/html"}


def test_400000_tiny_outputs_are_bounded():
    outputs = [{"output_type": "display_data", "data": {"text/plain": str(i)}} for i in range(400_000)]
    cells = executed_cells(executed(outputs), SENT)
    assert len(cells[1]["outputs"]) <= 51
    assert "dropped" in cells[1]["outputs"][-1]["text"]


def test_outputs_are_bounded_across_the_notebook():
    sources = [("code", f"cell {i}") for i in range(200)]
    outputs = [{"output_type": "display_data", "data": {"text/plain": "x"}}] * 60
    cells = executed_cells(executed(outputs, sources), sources)
    assert sum(len([o for o in c["outputs"] if o["output_type"] == "display_data"]) for c in cells) == MAX_OUTPUTS_TOTAL


def test_an_executed_notebook_with_other_cells_is_not_used():
    assert executed_cells(executed([], [("code", "print(2)"), ("code", "x")]), SENT) is None
    assert executed_cells(b"[" * 100_000, SENT) is None
    assert executed_cells(b"\x00garbage", SENT) is None
    assert executed_cells(None, SENT) is None


# ---------------------------------------------------------------- pages

def test_feedback_page_escapes_everything_a_submission_wrote():
    import nbformat
    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_markdown_cell("<img src=x onerror=alert(1)> [a](javascript:alert(2)) <script>x</script>"),
        nbformat.v4.new_code_cell("print('</pre><script>alert(3)</script>')"),
    ])
    nb.cells[1].outputs = [
        nbformat.v4.new_output("stream", name="stdout", text="<script>alert(4)</script>"),
        nbformat.v4.new_output("display_data", data={"image/png": "x' onerror='alert(5)"}),
        nbformat.from_dict({"output_type": "display_data", "metadata": {},
                            "data": {"image/png": 5, "text/plain": "<img src=x onerror=alert(6)>"}}),
        nbformat.v4.new_output("error", ename="<script>", evalue="<img src=x onerror=alert(7)>", traceback=[]),
    ]
    page = feedback_page(nb, {}, ["<img src=x onerror=alert(8)>"], hidden_ids=set(), secrets=set(),
                         title="<script>title</script>")
    assert unsafe_markup(page) == []
    assert "&lt;script&gt;alert(4)&lt;/script&gt;" in page
