"""The terminal's summary table fits 100 columns however many notebooks and questions an assignment
has, and still says what matters: each notebook's points, the totals, where points were lost.

A real graded course (every assignment, five example students each) is checked in test_demo.py;
here the results are written by hand to push the layout to its edges quickly.
"""
from __future__ import annotations

import pytest

from autograder.reports.results import CellScore, NotebookResult
from autograder.reports.tables import _display_width, score_table, terminal_table, weakest_questions


def result(student: str, notebook: str, cells: dict[str, tuple[float | None, float, bool]]) -> NotebookResult:
    r = NotebookResult(student, "05_course", notebook)
    for gid, (score, top, manual) in cells.items():
        r.cells[gid] = CellScore(gid, score, top, manual)
    return r


def widest(text: str) -> int:
    return max(_display_width(line) for line in text.splitlines())


def two_notebooks() -> list[NotebookResult]:
    out = []
    for student, share in (("s01_all_correct", 1.0), ("s02_partly_wrong", 0.5), ("s04_blank", 0.0)):
        out.append(result(student, "self_attention", {
            "test_dot_product_visible": (1.0 * share, 1, False), "test_dot_product_hidden": (2.0 * share, 2, False),
            "test_softmax_stable_hidden": (3.0 if share == 1 else 0.0, 3, False),
            "answer_scaling": (None, 5, True)}))
        out.append(result(student, "attention_layers_numpy", {
            "test_softmax_visible": (1.0, 1, False), "test_time_attention_backward_hidden": (4.0 * share, 4, False)}))
    return out


def test_the_summary_has_per_notebook_totals_and_where_points_went():
    table = terminal_table(two_notebooks())
    lines = table.splitlines()
    header = lines[0].split()
    assert header[:5] == ["student", "attention_layers_numpy", "self_attention", "auto", "written"]
    s02, lost = [line for line in lines if line.startswith("s02_partly_wrong")]
    # attention_layers_numpy 3/5, self_attention 1.5/11 with the written answer pending
    assert s02.split()[1:5] == ["3/5", "1.5/11", "4.5/11", "0/5,"] and "1 pending" in s02
    # two long notebook names leave too little room beside them: where points went is a table below
    assert lost.split(maxsplit=1)[1] == "softmax_stable -3, time_attention_backward -2, dot_product -1.5"
    assert "answer_scaling" not in table   # a written answer nobody graded has lost nothing yet
    assert "weakest questions" in table and "softmax_stable 33%" in table
    assert widest(table) <= 100


def test_where_there_is_room_the_losses_stand_beside_the_totals():
    table = terminal_table([r for r in two_notebooks() if r.notebook == "self_attention"])
    header, _, *rows = table.split("\n\n")[0].splitlines()
    assert header.split() == ["student", "auto", "written", "total", "lost", "most", "on"]
    assert rows[1].startswith("s02_partly_wrong") and rows[1].endswith("softmax_stable -3, dot_product -1.5")


def test_the_full_table_keeps_a_column_per_question():
    full = score_table(two_notebooks())
    assert "softmax_stable" in full.splitlines()[0] or "softmax_stable" in full
    assert "pending/5" in full


def test_weakest_questions_are_the_ones_the_class_earned_least_of():
    weakest = weakest_questions(two_notebooks(), ["attention_layers_numpy", "self_attention"])
    # softmax_stable 3 of 9 points; dot_product and time_attention_backward half theirs (ties by name)
    assert weakest == [("softmax_stable", pytest.approx(1 / 3)), ("dot_product", 0.5), ("time_attention_backward", 0.5)]


@pytest.mark.parametrize("width", [100, 72])
def test_many_notebooks_long_names_and_wide_characters_still_fit(width):
    notebooks = [f"notebook_with_a_rather_long_name_{i}" for i in range(7)]
    results = []
    for student in ("2026123456_김민준_학생이름이아주긴경우", "s2", "x" * 150):
        for nb in notebooks:
            results.append(result(student, nb, {f"test_question_number_{k}_of_{nb}_hidden": (k % 2, 1, False)
                                                 for k in range(6)} | {"answer_essay": (2.0, 10, True)}))
    results.append(NotebookResult("s9", "05_course", "-", error="not graded: " + "a reason that goes on " * 20))
    table = terminal_table(results, width=width)
    assert widest(table) <= width, table
    # every notebook still appears, in tables that repeat the student column
    for nb in notebooks:
        assert nb[: width // 3 - 1] in table
    assert table.count("student ") >= 2
    assert "s9: ERROR: not graded: " + "a reason that goes on " * 19 in " ".join(table.split()) + " "   # wrapped, whole


def test_the_weakest_questions_break_only_between_questions():
    from autograder.reports.tables import _wrap_items
    items = [f"question_{i} {i * 7}%" for i in range(9)]
    text = _wrap_items("weakest questions:", items, 40)
    lines = text.splitlines()
    assert len(lines) > 2 and all(len(line) <= 40 for line in lines)
    found = [piece.strip().rstrip(",") for line in lines
             for piece in line.removeprefix("weakest questions:").split(", ")]
    assert found == items   # each question and its share stay on one line


def test_a_written_answer_some_student_waits_on_is_not_among_the_weakest():
    """A blank answer scores 0 at once while the others wait for a person: the class has not
    earned 0% of it, so it stays out of the weakest questions until everyone's is graded."""
    results = [result("s01", "nb", {"test_f_hidden": (2.0, 2, False), "answer_why": (None, 5, True)}),
               result("s04", "nb", {"test_f_hidden": (0.0, 2, False), "answer_why": (0.0, 5, True)})]
    assert weakest_questions(results, ["nb"]) == [("f", 0.5)]
    results[0].cells["answer_why"] = CellScore("answer_why", 4.0, 5, True, by_person=True)
    assert weakest_questions(results, ["nb"]) == [("answer_why", 0.4), ("f", 0.5)]
