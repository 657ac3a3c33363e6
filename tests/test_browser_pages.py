"""Pages a browser renders, opened in a real headless Chromium: no script from a submission runs,
and a feedback page reads well (tables rendered, math readable) with no network.

A submission's outputs and written answers carry payloads that set `window.__xss` (a script
tag, event handlers on an image, SVG and body, an image whose base64 is an HTML attribute, a
javascript: link). They go through the same path as in `course grade`: the sandbox's executed
notebook is read by `untrusted.executed_cells`, then rendered as the kit's feedback page and as
the autograded notebook that formgrader shows (nbconvert's lab template, as formgrader uses).
After load, and after clicking every link, `window.__xss` must still be undefined. Behind the
sanitiser, a feedback page's Content-Security-Policy stops script that got past it. The pages of
a graded course, report.html among them, are opened in test_feedback.py.
"""
from __future__ import annotations

import json

import nbformat
import pytest

from autograder.grading.finish import with_outputs
from autograder.reports.feedback import feedback_page, sanitize_markdown
from autograder.reports.pages import page as kit_page
from autograder.trusted.hostile import executed_cells

from browser import chromium, needs_browser

pytestmark = [pytest.mark.slow, pytest.mark.browser, needs_browser, pytest.mark.timeout(300)]

PAYLOADS_HTML = ("<script>window.__xss = 'script'</script>"
                 "<img src=x onerror=\"window.__xss = 'img'\">"
                 "<svg onload=\"window.__xss = 'svg'\"></svg>"
                 "<a id=jslink href=\"javascript:window.__xss = 'link'\">link</a>"
                 "<iframe srcdoc=\"<script>parent.__xss = 'iframe'</script>\"></iframe>")
ANSWER = ("A written answer. " + PAYLOADS_HTML
          + "\n\n[click me](javascript:window.__xss='md-link') <body onload=\"window.__xss='body'\">")


def submission_notebook():
    cells = [nbformat.v4.new_markdown_cell(ANSWER, metadata={"nbgrader": {
                 "grade": True, "solution": True, "locked": False, "grade_id": "answer_x", "points": 1,
                 "schema_version": 3}}),
             nbformat.v4.new_code_cell("print('hi')")]
    return nbformat.v4.new_notebook(cells=cells)


def hostile_executed(nb) -> bytes:
    doc = json.loads(nbformat.writes(nb))
    doc["cells"][1]["outputs"] = [
        {"output_type": "display_data", "metadata": {}, "data": {
            "text/html": PAYLOADS_HTML, "application/javascript": "window.__xss = 'js'",
            "image/svg+xml": "<svg onload=\"window.__xss='svg-output'\"></svg>", "text/plain": "x"}},
        {"output_type": "display_data", "metadata": {},
         "data": {"image/png": "x' onerror='window.__xss=\"png\"'"}},
        {"output_type": "stream", "name": "stdout", "text": PAYLOADS_HTML},
        {"output_type": "error", "ename": "<script>window.__xss='ename'</script>",
         "evalue": PAYLOADS_HTML, "traceback": [PAYLOADS_HTML]},
    ]
    return json.dumps(doc).encode()


def pages(tmp_path):
    nb = submission_notebook()
    cells = executed_cells(hostile_executed(nb), [(c.cell_type, c.source) for c in nb.cells])
    shown = with_outputs(nb, cells)
    feedback = tmp_path / "feedback.html"
    feedback.write_text(feedback_page(shown, {}, ["<img src=x onerror=\"window.__xss='note'\">"],
                                      hidden_ids=set(), secrets=set(), title="t"), encoding="utf-8")
    from nbconvert import HTMLExporter
    autograded = sanitize_markdown(with_outputs(nb, cells))
    body, _ = HTMLExporter(template_name="lab").from_notebook_node(autograded)
    formgrader = tmp_path / "autograded.html"
    formgrader.write_text(body, encoding="utf-8")
    return [feedback, formgrader]


def test_no_submitted_script_runs_in_any_page(tmp_path):
    with chromium() as browser:
        for page in pages(tmp_path):
            browser.get(page.as_uri())
            browser.implicitly_wait(0.5)
            for link in browser.find_elements("css selector", "a"):
                try:
                    browser.execute_script("arguments[0].click()", link)
                except Exception:  # a link that navigates away ends the page; the check below still runs
                    browser.get(page.as_uri())
            assert browser.execute_script("return typeof window.__xss") == "undefined", \
                f"{page.name}: {browser.execute_script('return window.__xss')}"
            scripts = browser.execute_script(
                "return [...document.scripts].map(s => s.textContent).filter(t => t.includes('__xss'))")
            assert scripts == [], page.name
            handlers = browser.execute_script(
                "return [...document.querySelectorAll('*')]"
                ".flatMap(e => [...e.attributes])"
                ".filter(a => a.name.startsWith('on') || a.value.trim().toLowerCase().startsWith('javascript:'))"
                ".map(a => a.name + '=' + a.value)")
            assert handlers == [], (page.name, handlers)


def test_the_check_itself_sees_an_unsanitised_page(tmp_path):
    """The same payloads written raw do run: the test above can fail."""
    raw = tmp_path / "raw.html"
    raw.write_text(f"<!doctype html><body>{PAYLOADS_HTML}</body>", encoding="utf-8")
    with chromium() as browser:
        browser.get(raw.as_uri())
        assert browser.execute_script("return typeof window.__xss") == "string"


def click_links_and_look(browser, page) -> list[str]:
    """Every value window.__xss took: after load, and after clicking each link."""
    look = "return typeof window.__xss === 'undefined' ? null : window.__xss"
    browser.get(page.as_uri())
    browser.implicitly_wait(0.5)
    seen = [browser.execute_script(look)]
    for link in browser.find_elements("css selector", "a"):
        try:
            browser.execute_script("arguments[0].click()", link)
            seen.append(browser.execute_script(look))
        except Exception:  # the link left the page: back to it
            browser.get(page.as_uri())
    return [value for value in seen if value is not None]


def test_the_policy_stops_script_that_got_past_the_sanitiser(tmp_path):
    """The payloads written raw into a feedback page's body, as if nh3 had missed them all: the
    page's policy runs none. The same body without the policy runs them (the check can fail)."""
    guarded, bare = tmp_path / "guarded.html", tmp_path / "bare.html"
    guarded.write_text(kit_page("t", PAYLOADS_HTML, policy=True), encoding="utf-8")
    bare.write_text(kit_page("t", PAYLOADS_HTML), encoding="utf-8")
    with chromium() as browser:
        assert click_links_and_look(browser, guarded) == []
        assert click_links_and_look(browser, bare) != []


def test_a_feedback_page_reads_well_without_network(tmp_path):
    """Tables are tables, and the math is drawn by the browser itself (MathML, no script, no
    network): each formula laid out as math, a fraction's numerator above its denominator."""
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell(
        "| term | name |\n|---|---|\n| $P(A)$ | prior |\n| $P(B \\mid A)$ | likelihood |\n\n"
        "So $x^2$ grows, and\n\n$$\\sum_i a_i b_i = \\frac{1}{2}$$\n\n- first\n- second")])
    path = tmp_path / "feedback.html"
    path.write_text(feedback_page(nb, {}, [], hidden_ids=set(), secrets=set(), title="t"), encoding="utf-8")
    with chromium() as browser:
        browser.get(path.as_uri())
        assert browser.execute_script("return document.scripts.length") == 0
        headers = browser.execute_script("return [...document.querySelectorAll('table th')].map(e => e.textContent)")
        assert headers == ["term", "name"]
        assert browser.execute_script("return document.querySelectorAll('table tbody tr').length") == 2
        assert browser.execute_script("return document.querySelectorAll('li').length") == 2
        shown = browser.execute_script(
            "return [...document.querySelectorAll('.math')].map(e => {const m = e.querySelector('math');"
            " return m && [getComputedStyle(m).display, m.getBoundingClientRect().height > 0]})")
        assert shown == [["math", True]] * 3 + [["block math", True]]   # CSS display of inline and block math
        over, under = browser.execute_script(
            "return [...document.querySelector('mfrac').children].map(e => e.getBoundingClientRect().toJSON())")
        assert over["bottom"] <= under["top"] + 1 and abs(over["left"] - under["left"]) < over["width"], (over, under)
        assert "$" not in browser.find_element("tag name", "body").text
