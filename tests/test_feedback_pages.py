"""A feedback page's parts, without grading: Markdown, math, the header's points, the page's head.

The pages of graded courses are tested in test_feedback.py, and in a browser in
test_browser_pages.py.
"""
from __future__ import annotations

import base64
import hashlib
import html
from html.parser import HTMLParser

import nbformat

from autograder.reports import pages
from autograder.reports.feedback import feedback_page
from autograder.reports.markdown import render_markdown
from autograder.reports.results import CellScore, NotebookResult

from browser_safety import unsafe_markup


def test_markdown_tables_lists_and_code_are_rendered():
    out = render_markdown("| term | name |\n|---|---|\n| $P(A)$ | prior |\n\n- one\n- two\n\n"
                          "```python\nprint(1 < 2)\n```\n\n~~old~~ **new**")
    assert "<table>" in out and "<th>term</th>" in out and "<td>prior</td>" in out
    assert "<ul>\n<li>one</li>" in out and "<pre><code>print(1 &lt; 2)\n</code></pre>" in out
    assert "<s>old</s>" in out and "<strong>new</strong>" in out


def test_math_is_kept_as_typed_for_the_math_script():
    out = render_markdown("Bayes: $a_i b_i < c$, and\n\n$$\\sum_i x_i^2$$\n\nin text $$y$$ too")
    # underscores are not emphasis, `<` is escaped, the dollars stay: readable where no script runs
    assert '<span class="math inline">$a_i b_i &lt; c$</span>' in out
    assert '<div class="math block">\n$$\\sum_i x_i^2$$\n</div>' in out
    assert '<div class="math inline">$$y$$</div>' in out
    assert "<em>" not in out


def test_a_hostile_markdown_cell_stays_text():
    out = render_markdown("<script>alert(1)</script> <img src=x onerror=alert(2)> "
                          "[link](javascript:alert(3)) [data](data:text/html,x) "
                          "<span class='math'>$x$</span> $<img src=x onerror=alert(4)>$ "
                          "![pic](https://example.org/track.png)")
    assert unsafe_markup(out) == []
    assert "&lt;script&gt;" in out and "href" not in out
    assert '<span class="math inline">$&lt;img src=x onerror=alert(4)&gt;$</span>' in out
    assert out.count("class=") == out.count('class="math inline"') + 1   # + the escaped one, as text
    assert "&lt;span class='math'&gt;" in out


def test_a_folded_hint_is_folded_on_the_page_and_its_inside_is_markdown():
    out = render_markdown("Hint: shapes first.\n\n<details><summary>코드 **힌트**</summary>\n\n"
                          "- use `softmax(x, dim=-1)`\n- $a_i$ <script>alert(1)</script>\n\n</details>\n\nafter")
    assert out.count("<details>") == 1 and "<summary>코드 <strong>힌트</strong></summary>" in out
    inside = out[out.index("<details>"):out.index("</details>")]
    assert "<li>use <code>softmax(x, dim=-1)</code></li>" in inside
    assert '<span class="math inline">$a_i$</span>' in inside and "&lt;script&gt;" in inside
    assert "&lt;details" not in out and out.rstrip().endswith("<p>after</p>")
    assert unsafe_markup(out) == []
    # an unclosed fold is no fold: it stays text, like any other HTML in a cell
    assert "&lt;details&gt;" in render_markdown("<details><summary>x</summary> never closed")


def scores(*cells: CellScore, comments: dict[str, str] | None = None) -> NotebookResult:
    """What `results.notebook_result` reads from the gradebook, written out."""
    return NotebookResult("s1", "a", "nb", {c.grade_id: c for c in cells}, comments=comments or {})


def notebook():
    def meta(gid, points, solution, grade=True):
        return {"nbgrader": {"grade": grade, "solution": solution, "locked": not solution, "grade_id": gid,
                             "points": points, "schema_version": 3}}
    return nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_code_cell("def f(x):\n    return 2 * x", metadata=meta("define_f", 0, True, grade=False)),
        nbformat.v4.new_code_cell("assert f(1) == 2", metadata=meta("test_f", 4, False)),
        nbformat.v4.new_markdown_cell("My answer: $x = 1$", metadata=meta("answer_q", 6, True)),
        nbformat.v4.new_markdown_cell("YOUR ANSWER HERE", metadata=meta("answer_blank", 2, True)),
    ])


def test_the_header_says_what_is_pending_and_what_a_person_gave():
    pending = feedback_page(notebook(), {}, [], hidden_ids=set(), secrets=set(), title="Feedback: nb",
                            scores=scores(CellScore("test_f", 4, 4, False), CellScore("answer_q", None, 6, True),
                                          CellScore("answer_blank", 0, 2, True)))
    assert "<tr><td>Tests, graded automatically</td><td>4 / 4</td></tr>" in pending
    assert "<b>answer_q</b>: to be graded by a person (up to 6 points)" in pending
    assert "<b>answer_blank</b>: 0 / 2 (no response)" in pending
    assert "0 / 8 (1 of 2 still to be graded)" in pending and "<th>Total so far</th><th>4 / 12</th>" in pending
    assert "Extra credit" not in pending and "Grader's comment" not in pending

    graded = feedback_page(notebook(), {}, [], hidden_ids=set(), secrets=set(), title="Feedback: nb",
                           scores=scores(CellScore("test_f", 3, 4, False, by_person=True),
                                         CellScore("answer_q", 5, 6, True, extra_credit=1, by_person=True,
                                                   comment="Say **why**."),
                                         # rewritten since it was scored: the score counts, the page says no more
                                         CellScore("answer_blank", 1, 2, True, by_person=True, recheck=True),
                                         comments={"define_f": "Tidy."}))
    assert "<b>answer_q</b>: 5 / 6 (+1 extra credit), graded by a person" in graded
    assert "<b>answer_blank</b>: 1 / 2, graded by a person" in graded
    assert "<i>Grader's comment:</i><p>Say <strong>why</strong>.</p>" in graded
    assert "<tr><td>Written answers, graded by a person</td><td>6 / 8</td></tr>" in graded
    assert "<tr><td>Extra credit</td><td>+1</td></tr><tr><th>Total</th><th>10 / 12</th></tr>" in graded
    assert "to be graded" not in graded and "recheck" not in graded
    # the box after each cell says it too: a person's points on a test, a comment on a cell without points
    assert graded.index("My answer") < graded.index("✍️ <b>answer_q: 5 / 6 (+1 extra credit), graded by a person</b>")
    assert "<b>test_f: 3 / 4</b></p><ul><li>points set by the grader</li></ul>" in graded
    assert graded.index("return 2 * x") < graded.index("<p>Tidy.</p>") < graded.index("assert f(1) == 2")


def test_a_bonus_holds_up_no_total_and_says_what_it_is():
    """A bonus answer has no points of its own, only extra credit a person may give: ungraded, the
    total is not "so far"; graded, the extra credit is added on top."""
    nb = notebook()
    nb.cells.append(nbformat.v4.new_markdown_cell("Feedback: more exercises", metadata={"nbgrader": {
        "grade": True, "solution": True, "locked": False, "grade_id": "bonus_feedback", "points": 0,
        "schema_version": 3}}))
    page = lambda *cells: feedback_page(nb, {}, [], hidden_ids=set(), secrets=set(), title="t",  # noqa: E731
                                        scores=scores(CellScore("test_f", 4, 4, False), *cells))
    answered = (CellScore("answer_q", 6, 6, True, by_person=True),
                CellScore("answer_blank", 2, 2, True, by_person=True))
    waiting = page(*answered, CellScore("bonus_feedback", None, 0, True))
    assert "<b>bonus_feedback: bonus (extra credit)</b>" in waiting
    assert "<th>Total</th><th>12 / 12</th>" in waiting and "to be graded" not in waiting
    given = page(*answered, CellScore("bonus_feedback", 0, 0, True, extra_credit=1, by_person=True))
    assert "<b>bonus_feedback: bonus, +1 extra credit</b>" in given
    assert "<tr><td>Extra credit</td><td>+1</td></tr><tr><th>Total</th><th>13 / 12</th></tr>" in given


class _Head(HTMLParser):
    def __init__(self):
        super().__init__()
        self.policy, self.handlers, self.sources = None, [], []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "meta" and attrs.get("http-equiv") == "Content-Security-Policy":
            self.policy = attrs["content"]
        if tag == "script":
            self.handlers.append(attrs.get("onload"))
            self.sources.append((attrs["src"], attrs["integrity"]))


def test_the_math_loader_is_the_only_script_the_policy_allows():
    head = _Head()
    head.feed(feedback_page(notebook(), {}, [], hidden_ids=set(), secrets=set(), title="t"))
    assert head.sources == [(pages.KATEX + pages.KATEX_JS[0], pages.KATEX_JS[1])]
    handler, = head.handlers
    digest = "sha256-" + base64.b64encode(hashlib.sha256(handler.encode()).digest()).decode()
    directives = dict(d.strip().split(" ", 1) for d in head.policy.split(";"))
    assert directives["default-src"] == "'none'" and directives["img-src"] == "data:"
    assert directives["script-src"].split() == [pages.KATEX + pages.KATEX_JS[0], "'unsafe-hashes'", f"'{digest}'"]
    assert "unsafe-inline" not in directives["script-src"]


def test_only_the_kits_own_head_is_left_out_of_the_check():
    page = feedback_page(notebook(), {}, [], hidden_ids=set(), secrets=set(), title="<b>t</b>")
    assert unsafe_markup(page) == []
    tampered = page.replace("<title>", "<script>alert(1)</script><title>", 1)
    assert "<script>" in unsafe_markup(tampered)
    assert html.escape("<b>t</b>") in page
