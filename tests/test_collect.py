"""LMS zips: each member belongs to exactly one student by one rule, and nobody's notebook
can be replaced by someone else's upload. CSV files for the LMS never carry a formula."""
from __future__ import annotations

import csv
import json
import zipfile

from autograder.grading.collect import from_zip
from autograder.reports.csv_files import csv_cell, write_csvs, write_lms_csv
from autograder.reports.results import CellScore, NotebookResult

NOTEBOOKS = ["probability.ipynb"]


def notebook(who: str) -> bytes:
    """A readable (empty) notebook that says whose it is."""
    return json.dumps({"nbformat": 4, "nbformat_minor": 5, "metadata": {"who": who}, "cells": []}).encode()


VICTIM = notebook("victim")
ATTACKER = notebook("attacker")


def make_zip(tmp_path, members: dict[str, bytes]):
    path = tmp_path / "lms.zip"
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def collect(tmp_path, members):
    root = tmp_path / "course"
    root.mkdir(exist_ok=True)
    return root, from_zip(make_zip(tmp_path, members), root, "01_probability", NOTEBOOKS)


def saved(root, student) -> bytes | None:
    path = root / "submitted" / student / "01_probability" / "probability.ipynb"
    return path.read_bytes() if path.exists() else None


def test_both_layouts_map_to_their_student(tmp_path):
    root, found = collect(tmp_path, {"2026001_김민수_probability.ipynb": VICTIM,
                                     "2026002_이서연/probability.ipynb": ATTACKER,
                                     "2026003_박지훈/2026003_박지훈_probability.ipynb": ATTACKER})
    assert sorted(found.students) == ["2026001", "2026002", "2026003"] and not found.problems
    assert saved(root, "2026001") == VICTIM and saved(root, "2026002") == ATTACKER
    assert found.names["2026001"] == "김민수"


def test_a_file_named_for_another_student_inside_ones_folder_is_refused(tmp_path):
    root = tmp_path / "course"
    (root / "submitted" / "2026001" / "01_probability").mkdir(parents=True)
    (root / "submitted" / "2026001" / "01_probability" / "probability.ipynb").write_bytes(VICTIM)
    root, found = collect(tmp_path, {"2026002_이서연/2026001_김민수_probability.ipynb": ATTACKER})
    assert saved(root, "2026001") == VICTIM, "the victim's notebook was replaced"
    [(member, reason)] = found.problems.items()
    assert "file name says 2026001, the folder it is in says 2026002" in reason


def test_two_members_for_one_notebook_are_both_refused_and_nothing_is_overwritten(tmp_path):
    root = tmp_path / "course"
    (root / "submitted" / "2026001" / "01_probability").mkdir(parents=True)
    (root / "submitted" / "2026001" / "01_probability" / "probability.ipynb").write_bytes(VICTIM)
    root, found = collect(tmp_path, {"2026001_김민수_probability.ipynb": ATTACKER,
                                     "2026001_김민수/probability.ipynb": ATTACKER})
    assert saved(root, "2026001") == VICTIM
    assert "2 files in the zip are 2026001's probability.ipynb" in found.problems["2026001"]


def test_members_nobody_can_be_told_from_are_reported(tmp_path):
    _, found = collect(tmp_path, {"probability.ipynb": ATTACKER, "a/b/c/probability.ipynb": ATTACKER})
    assert len(found.problems) == 2 and not found.students


def test_a_broken_member_is_reported_and_never_written(tmp_path):
    good = notebook("good")
    root = tmp_path / "course"
    (root / "submitted" / "2026002" / "01_probability").mkdir(parents=True)
    (root / "submitted" / "2026002" / "01_probability" / "probability.ipynb").write_bytes(good)
    root, found = collect(tmp_path, {"2026001_김민수_probability.ipynb": b'{"cells": [',
                                     "2026002_이서연_probability.ipynb": b"",
                                     "2026003_박지훈_probability.ipynb": good})
    assert saved(root, "2026001") is None, "a broken file in submitted/ would look handed in"
    assert "not valid JSON" in found.problems["2026001"] and "no earlier" not in found.problems["2026001"]
    assert saved(root, "2026002") == good, "an earlier good submission is kept"
    assert "is empty" in found.problems["2026002"] and "already in submitted/ are kept" in found.problems["2026002"]
    assert saved(root, "2026003") == good and "2026003" not in found.problems
    assert found.names == {"2026001": "김민수", "2026002": "이서연", "2026003": "박지훈"}


def test_csv_cells_that_look_like_formulas_are_neutralised(tmp_path):
    names = {"s1": "=HYPERLINK(\"http://x\",\"y\")", "s2": "@SUM(A1)", "s3": "+1", "s4": "-2", "s5": "김민수"}
    results = [NotebookResult(s, "01_probability", "probability", {"q": CellScore("q", 1, 2, False)})
               for s in names]
    path = write_lms_csv(results, names, tmp_path / "lms.csv")
    rows = {r["student_id"]: r["name"] for r in csv.DictReader(path.open(encoding="utf-8-sig"))}
    assert all(not rows[s].startswith(("=", "+", "-", "@")) for s in rows)
    assert rows["s1"] == "'" + names["s1"] and rows["s5"] == "김민수"
    assert csv_cell("\t=1") == "'\t=1" and csv_cell("3") == "3" and csv_cell(-2.0) == "-2"
    assert csv_cell("\r=1") == "'\r=1" and csv_cell("-1+2") == "'-1+2" and csv_cell(None) == ""
    # grades.csv and questions.csv go through the same writer
    broken = NotebookResult("=s6", "01_probability", "-", error="=cmd|' /C calc'!A0")
    paths = write_csvs([*results, broken], tmp_path, names)
    assert "'=cmd|" in paths["grades"].read_text(encoding="utf-8")
    for path in paths.values():
        for row in csv.reader(path.open(encoding="utf-8")):
            assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for cell in row), row
