"""Marking schemes of written answers: one per answer, adding up to its points, shown to graders in
formgrader (the graded notebook), never to students (the release, the sandbox, the feedback page)."""
from __future__ import annotations

from pathlib import Path

import nbformat
import pytest

from autograder.cells import MARK_SCHEME_BEGIN, extra_credit, grade_id, is_rubric, nbgrader_meta, regions, telling_lines
from autograder.grading import Options, grade
from autograder.layout import LANGUAGES, assignments, release_dir, source_notebooks
from course.release import build_all
from course.rubric import parse_rubric, rubric_id

from toy_course import cell_meta, make_toy_course, submit

ROOT = Path(__file__).resolve().parents[1]
SOURCES = [p for a in assignments(ROOT) for p in source_notebooks(ROOT, a)]


def written_answers(nb):
    """(index, cell) of every answer graded by hand."""
    return [(i, c) for i, c in enumerate(nb.cells)
            if nbgrader_meta(c).get("grade") and nbgrader_meta(c).get("solution") and c.cell_type == "markdown"]


def worth(answer) -> float:
    """What a written answer can earn: its points, or its extra credit for an extra-credit answer (0 points)."""
    return extra_credit(answer) or nbgrader_meta(answer)["points"]


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.stem)
def test_every_written_answer_has_a_rubric_that_adds_up_to_its_points(path):
    nb = nbformat.read(path, as_version=4)
    for i, answer in written_answers(nb):
        rubric = nb.cells[i + 1]
        assert grade_id(rubric) == rubric_id(grade_id(answer)) and is_rubric(rubric), grade_id(answer)
        parsed = parse_rubric(rubric.source)
        assert parsed.problems == [], (grade_id(answer), parsed.problems)
        assert parsed.total == worth(answer), grade_id(answer)
        assert parsed.deductions, f"{grade_id(answer)}: no common wrong answer"
        assert all(korean and english for _, korean, english in parsed.awards + parsed.deductions)


def test_the_rubrics_cover_every_manual_point_of_the_course():
    manual = extra = covered = 0
    for path in SOURCES:
        nb = nbformat.read(path, as_version=4)
        for i, answer in written_answers(nb):
            manual += nbgrader_meta(answer)["points"]
            extra += extra_credit(answer)
            covered += parse_rubric(nb.cells[i + 1].source).total
    assert (manual, extra) == (168, 1)      # the base total, and the course-feedback bonus on top
    assert covered == manual + extra


def rubric_lines(source_nb) -> set[str]:
    return {line for c in source_nb.cells for block in regions(c.source, "mark scheme")
            for line in telling_lines(block)}


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.stem)
def test_the_release_holds_no_rubric_text(path, lang):
    """The committed release (`course release --lang all`): every rubric cell is empty, and no line
    of any rubric appears anywhere in the file."""
    source = nbformat.read(path, as_version=4)
    released_path = release_dir(ROOT, lang) / path.parent.name / path.name
    text = released_path.read_text(encoding="utf-8")
    released = nbformat.reads(text, as_version=4)
    rubrics = [c for c in released.cells if is_rubric(c)]
    assert len(rubrics) == len(written_answers(source))
    assert all(c.source == "" for c in rubrics)
    assert MARK_SCHEME_BEGIN not in text
    secret = rubric_lines(source)
    assert secret, "the source has rubric text to look for"
    assert not [line for line in secret if line in text or line.replace('"', '\\"') in text]


RUBRIC = """<!-- BEGIN MARK SCHEME -->
**채점 기준 · Marking scheme** `answer_why_double`

- **+2** 두 배라는 것을 곱셈으로 설명함
  *explains doubling as a multiplication by two*
- **+1** 음수에서도 성립함을 말함
  *says it holds for negative numbers too*

- **−1** 덧셈 x + 2와 혼동함
  *confuses it with adding two*
<!-- END MARK SCHEME -->"""


@pytest.mark.slow
def test_graders_see_the_rubric_in_formgrader_and_students_never_do(tmp_path):
    """The toy course with one written answer and its rubric: after `course grade`, the graded
    notebook that formgrader renders holds the rubric under the student's answer, rendered by
    formgrader's own exporter, while the release, the notebook sent into the sandbox and the
    student's feedback page hold none of it."""
    course = make_toy_course(tmp_path / "course")
    path = course / "source" / "toy" / "toy.ipynb"
    nb = nbformat.read(path, as_version=4)
    nb.cells += [
        nbformat.v4.new_markdown_cell("Doubling multiplies by two, for every integer.",
                                      metadata=cell_meta("answer_why_double", grade=True, solution=True, points=3)),
        nbformat.v4.new_markdown_cell(RUBRIC, metadata=cell_meta("rubric_why_double", locked=True)),
    ]
    nbformat.write(nb, path)
    build_all(course)
    student = submit(course, "alice")
    handed_in = nbformat.read(student, as_version=4)
    for cell in handed_in.cells:
        if grade_id(cell) == "answer_why_double":
            cell.source = "It is x times two."
    nbformat.write(handed_in, student)
    assert MARK_SCHEME_BEGIN not in (course / "release" / "ko" / "toy" / "toy.ipynb").read_text(encoding="utf-8")

    run = grade(course, "toy", options=Options(workers=1, progress=False, cell_timeout=10))
    assert not run.rejected and not run.reference_problems
    graded_path = course / "autograded" / "alice" / "toy" / "toy.ipynb"
    graded = nbformat.read(graded_path, as_version=4)
    ids = [grade_id(c) for c in graded.cells]
    at = ids.index("rubric_why_double")
    assert ids[at - 1] == "answer_why_double" and graded.cells[at - 1].source == "It is x times two."
    # (the kit's sanitiser drops the HTML comments around it; formgrader would hide them anyway)
    shown = graded.cells[at].source
    assert all(line in shown for line in telling_lines(RUBRIC) if MARK_SCHEME_BEGIN not in line
               and "END MARK SCHEME" not in line)

    # formgrader's page of this submission: nbgrader's HTMLExporter with its formgrade template
    from nbconvert.exporters import HTMLExporter
    from nbgrader.server_extensions.formgrader import handlers
    from traitlets.config import Config
    config = Config()
    config.HTMLExporter.template_name = "formgrade"
    config.HTMLExporter.extra_template_basedirs = [handlers.template_path]
    html, _ = HTMLExporter(config=config).from_filename(
        str(graded_path), resources={"assignment_id": "toy", "notebook_id": "toy", "submission_id": "x",
                                     "index": 0, "total": 1, "base_url": "", "student": "alice",
                                     "last_name": "", "first_name": "", "notebook_path": ""})
    assert "음수에서도 성립함을 말함" in html and "confuses it with adding two" in html
    assert html.index("It is x times two.") < html.index("음수에서도 성립함을 말함")

    feedback = (course / "feedback" / "alice" / "toy" / "toy.html").read_text(encoding="utf-8")
    assert "It is x times two." in feedback
    for line in telling_lines(RUBRIC):
        assert line not in feedback
