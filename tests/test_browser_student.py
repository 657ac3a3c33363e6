"""A student's JupyterLab 4, in a real headless Chromium, started with the student profile the
course ships (student/): the Korean release of 01_probability and an English torch notebook, as
a student works them, and nbgrader's instructor tools out of sight.

One server for the module, serving a student's folder that holds copies of the release's
assignment folders (what a student downloads). Every wait is on something a person would see:
an output, the status bar, a dialog. Screenshots go to build/screenshots/.
"""
from __future__ import annotations

import shutil

import nbformat
import pytest
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.keys import Keys

from course.specs import reference_answer

from browser import (
    STUDENT_PROFILE,
    by_css,
    chromium,
    click,
    click_menu,
    instructor_tools,
    jupyter,
    needs_browser,
    open_lab,
    screenshot,
    wait_for,
)
from conftest import ROOT

pytestmark = [pytest.mark.slow, pytest.mark.browser, needs_browser, pytest.mark.timeout(600)]

KOREAN = "01_probability/probability.ipynb"
ENGLISH = "03_causal_multihead_attention/attention_heatmaps.ipynb"


@pytest.fixture(scope="module")
def student_lab(course_template, tmp_path_factory):
    """(server, browser): JupyterLab with the student profile, in a folder of released notebooks."""
    scratch = tmp_path_factory.mktemp("student-lab")
    home = scratch / "assignments"
    for lang, notebook in (("ko", KOREAN), ("en", ENGLISH)):
        folder = notebook.split("/")[0]
        shutil.copytree(course_template / "release" / lang / folder, home / folder)
    profile = shutil.copytree(STUDENT_PROFILE, scratch / "profile")   # Jupyter writes settings into it
    with jupyter(home, scratch / "jupyter", config_dir=profile) as server, chromium() as browser:
        yield server, browser


def cells(browser) -> list:
    """The cells of the notebook on screen."""
    return by_css(browser, ".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook .jp-Cell")


def first_line(cell) -> str:
    lines = by_css(cell, ".cm-line")
    return lines[0].text if lines else ""


def cell_starting(browser, text: str):
    """The notebook cell whose editor's first line starts with `text`."""
    for cell in cells(browser):
        if first_line(cell).startswith(text):
            return cell
    raise AssertionError(f"no cell starts with {text!r}")


def outputs(cell) -> str:
    return "\n".join(output.text for output in by_css(cell, ".jp-OutputArea-output"))


def shift_enter(browser) -> None:
    ActionChains(browser).key_down(Keys.SHIFT).send_keys(Keys.ENTER).key_up(Keys.SHIFT).perform()


def test_a_student_runs_fixes_and_validates_the_korean_release(student_lab):
    server, browser = student_lab
    open_lab(browser, server, KOREAN)
    click_menu(browser, "Run", "runmenu:run-all")
    # Run All stops at the first error: the visible test of the first exercise, chain_rule
    test_cell = cell_starting(browser, "# 보이는 테스트 / Visible test: worked examples of the chain rule")
    wait_for(browser, lambda d: "NotImplementedError" in outputs(test_cell), 120, "the first NotImplementedError")
    failed = [c for c in cells(browser) if "Traceback" in outputs(c) or "Error" in outputs(c)]
    assert failed == [test_cell], "the first error is in chain_rule's visible test, and no other cell ran into one"
    wait_for(browser, lambda d: "| Idle" in d.find_element("id", "jp-main-statusbar").text, 60, "Idle")
    screenshot(browser, "student-lab-first-error")

    # type a correct chain_rule over the cell's content (the author's solution)
    source = nbformat.read(ROOT / "source" / "01_probability" / "probability.ipynb", as_version=4)
    solution = reference_answer(next(c for c in source.cells
                                     if c.metadata.get("nbgrader", {}).get("grade_id") == "chain_rule"))
    editor = by_css(cell_starting(browser, "def chain_rule("), ".cm-content")[0]
    click(browser, editor)
    ActionChains(browser).key_down(Keys.CONTROL).send_keys("a").key_up(Keys.CONTROL).send_keys(Keys.DELETE).perform()
    # typed text goes in as the browser's own text input (as from a keyboard's input method):
    # key by key, the editor would auto-indent every new line a second time
    browser.execute_cdp_cmd("Input.insertText", {"text": solution})
    typed = browser.execute_script(
        "return [...arguments[0].querySelectorAll('.cm-line')].map(l => l.textContent).join('\\n')", editor)
    assert typed == solution
    shift_enter(browser)   # runs chain_rule's cell, and moves to its visible test
    shift_enter(browser)   # runs the visible test
    wait_for(browser, lambda d: "test_chain_rule_visible: all examples match" in outputs(test_cell), 60,
             "the visible test's success line")
    assert "NotImplementedError" not in outputs(test_cell)

    # nbgrader's Validate button (saves, runs the notebook from the top, lists what fails)
    click(browser, by_css(browser, ".validate-button")[0])
    dialog = wait_for(browser, lambda d: [e for e in by_css(d, ".jp-Dialog") if "The following cell failed" in e.text],
                      180, "Validate's results")[0]
    report = dialog.text
    first = report.split("The following cell failed:", 2)[1]
    assert "law_of_total_probability(0.3, [0.9, 0.5], [0.2, 0.4])" in first and "NotImplementedError" in first
    assert "worked examples of the chain rule" not in report
    screenshot(browser, "student-lab-validate")
    click(browser, by_css(dialog, ".jp-Dialog-button")[-1])
    wait_for(browser, lambda d: not by_css(d, ".jp-Dialog"), 10, "the dialog closed")


def prompt(cell) -> str:
    return by_css(cell, ".jp-InputArea-prompt")[0].text.strip()


def test_an_english_torch_notebook_runs_its_set_up_cells(student_lab):
    server, browser = student_lab
    open_lab(browser, server, ENGLISH)
    # the imports (torch) and the date data, a markdown cell between them
    set_up = [c for c in cells(browser) if first_line(c).startswith("# NOTE:")][:2]
    click(browser, by_css(set_up[0], ".jp-InputArea-prompt")[0])   # selects the cell (command mode)
    for _ in range(3):
        shift_enter(browser)
    for cell in set_up:
        wait_for(browser, lambda d, cell=cell: prompt(cell) not in ("[ ]:", "[*]:"), 180, "an execution count")
    assert [prompt(c) for c in set_up] == ["[1]:", "[2]:"]
    assert [outputs(c) for c in set_up if "Error" in outputs(c) or "Traceback" in outputs(c)] == []
    assert not any(by_css(c, ".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']") for c in set_up)
    screenshot(browser, "student-lab-english-torch")


def test_the_student_profile_hides_the_instructor_tools(student_lab):
    """Formgrader, Create Assignment, Course List and Assignment List are gone, and with them the
    exchange errors. test_feedback.py::test_an_instructor_grades_a_written_answer_in_formgrader
    finds them all in a Jupyter without the profile, through the same instructor_tools()."""
    server, browser = student_lab
    open_lab(browser, server, KOREAN)
    assert "Nbgrader" not in by_css(browser, ".lm-MenuBar")[0].text
    assert instructor_tools(browser) == set()
    assert by_css(browser, ".validate-button"), "Validate stays"
    assert "exchange directory does not exist" not in browser.find_element("tag name", "body").text
    for api in ("formgrader", "courses", "assignments"):
        browser.get(server.address(api))
        assert "404" in browser.title or "Not Found" in browser.find_element("tag name", "body").text, api
