"""Feedback pages: the student's notebook as released, with each test's trusted verdict.

Everything on the page that came from a submission is hostile: cell sources, Markdown
answers, outputs (already reduced to plain text and checked base64 images by
`untrusted.executed_cells`). The page therefore escapes every text, renders Markdown with
raw HTML escaped and then passes the result through nh3, and embeds only images whose
base64 decodes to a PNG or JPEG.

Hidden tests never appear: the cells shown are the ones sent into the sandbox (hidden
regions cut out), a hidden test cell's outputs are reduced to the failure's type and
message, and any output that quotes a line of a hidden test (a student who printed the
executor's input, `In`, or a frame's source) is replaced by a note. Why a hidden test lost
points is said by the trusted side (`checks.check_key`): which probe, expected and found.
"""
from __future__ import annotations

import copy
import html
import re

import mistune
import nbformat

from ..cells import grade_id
from ..trusted import CellVerdict
from ..trusted.hostile import IMAGE_MIMES, clean_image, sanitize_html
from .pages import page

LEAK_NOTE = "[the grader removed this output: it quoted the hidden tests]\n"


def _verdict_markdown(verdict: CellVerdict) -> str:
    mark = "✅" if verdict.trusted_passed else "❌"
    lines = [f"{mark} **{verdict.grade_id}: {verdict.score:g} / {verdict.max_points:g}**"]
    lines += [f"- {html.escape(reason)}" for reason in verdict.reasons]
    lines += [f"- ⚠️ {html.escape(flag)}" for flag in verdict.flags]
    return "\n".join(lines)


def _summarise_error(outputs) -> list:
    errors = [o for o in outputs if o.get("output_type") == "error"]
    if not errors:
        return []
    first = errors[0]
    text = f"{first.get('ename', 'Error')}: {first.get('evalue', '')}"[:500]
    return [nbformat.v4.new_output("stream", name="stderr", text=f"hidden test failed: {text}\n")]


def _output_texts(output) -> list[str]:
    texts = [output.get("text"), output.get("ename"), output.get("evalue"), *output.get("traceback", [])]
    texts += [v for v in output.get("data", {}).values()]
    return [t for t in texts if isinstance(t, str)]


def _quotes(output, secrets: set[str]) -> bool:
    """Does any line of the output (also where a repr wrote newlines as \\n) equal a hidden line?
    Line lookups in a set keep this linear in the output's size."""
    if not secrets:
        return False
    for text in _output_texts(output):
        for line in text.replace("\\n", "\n").replace("\\'", "'").splitlines():
            if line.strip().strip("'\",[]").strip() in secrets or line.strip() in secrets:
                return True
    return False


def feedback_notebook(visible_nb, verdicts: dict[str, CellVerdict], notes: list[str],
                      hidden_ids: set[str], secrets: set[str]):
    """The page as a notebook: a header, the cells, each test followed by its verdict."""
    nb = copy.deepcopy(visible_nb)
    cells = []
    for cell in nb.cells:
        if cell.cell_type == "code":
            if grade_id(cell) in hidden_ids:
                cell.outputs = _summarise_error(cell.get("outputs", []))
            cell.outputs = [nbformat.v4.new_output("stream", name="stderr", text=LEAK_NOTE)
                            if _quotes(o, secrets) else o for o in cell.get("outputs", [])]
        cells.append(cell)
        gid = grade_id(cell)
        if gid in verdicts:
            cells.append(nbformat.v4.new_markdown_cell(_verdict_markdown(verdicts[gid])))
    total = sum(v.score for v in verdicts.values())
    top = sum(v.max_points for v in verdicts.values())
    header = [f"# Feedback: {total:g} / {top:g} autograded points"]
    header += [f"- {html.escape(note)}" for note in notes]
    nb.cells = [nbformat.v4.new_markdown_cell("\n".join(header)), *cells]
    return nb


def _render_output(output) -> str:
    kind = output.get("output_type")
    if kind == "stream":
        css = "err" if output.get("name") == "stderr" else "out"
        return f"<div class='{css}'><pre>{html.escape(str(output.get('text', '')))}</pre></div>"
    if kind == "error":
        return (f"<div class='err'><pre>{html.escape(str(output.get('ename', '')))}: "
                f"{html.escape(str(output.get('evalue', '')))}</pre></div>")
    data = output.get("data", {})
    if not isinstance(data, dict):
        return ""
    for mime in IMAGE_MIMES:
        image = clean_image(mime, data.get(mime)) if mime in data else None
        if image is not None:
            return f"<img alt='figure' src='data:{mime};base64,{image}'>"
    if isinstance(data.get("text/plain"), str):
        return f"<div class='out'><pre>{html.escape(data['text/plain'])}</pre></div>"
    return ""


def render_html(nb, title: str) -> str:
    """A small self-contained page: Markdown rendered and sanitised, code escaped, outputs as
    text or checked images."""
    markdown = mistune.create_markdown(escape=True, plugins=["table", "strikethrough"])
    parts = []
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            parts.append(f"<div class='md'>{sanitize_html(markdown(str(cell.source)))}</div>")
        elif cell.cell_type == "code":
            parts.append(f"<pre><code>{html.escape(str(cell.source))}</code></pre>")
            parts += [_render_output(o) for o in cell.get("outputs", [])]
    return page(title, "\n".join(parts))


def feedback_page(visible_nb, verdicts: dict[str, CellVerdict], notes: list[str], *,
                  hidden_ids: set[str], secrets: set[str], title: str) -> str:
    return render_html(feedback_notebook(visible_nb, verdicts, notes, hidden_ids, secrets), title)


def _spelled(word: str) -> str:
    """A pattern for word with any whitespace or control characters between its letters, as
    browsers ignore them inside a URL's scheme (`java\tscript:` runs)."""
    return r"[\s\x00-\x1f]*".join(re.escape(ch) for ch in word)


# Link schemes that run script when an instructor clicks a link in a rendered answer. Markdown
# links (`[a](javascript:...)`) are not HTML, so nh3 never sees them: they are defused here.
SCRIPT_SCHEMES = re.compile(rf"(?i)({_spelled('javascript')}|{_spelled('vbscript')}|"
                            rf"(?<=[(<=\"'])[\s\x00-\x1f]*{_spelled('data')}(?![\s\x00-\x1f]*:image/(png|jpeg);base64,))"
                            r"[\s\x00-\x1f]*:")


def defuse_links(text: str) -> str:
    """Markdown with every script-running link scheme broken (`javascript:` -> `javascript-blocked:`).
    Entities are decoded first, so `&#106;avascript:` is caught too."""
    plain = html.unescape(text)
    if not SCRIPT_SCHEMES.search(plain):
        return text
    return SCRIPT_SCHEMES.sub(lambda m: m.group(0).rstrip(":").rstrip() + "-blocked:", plain)


def sanitize_markdown(nb):
    """The autograded notebook as formgrader will render it inside the instructor's Jupyter:
    raw HTML in Markdown cells through nh3, script link schemes defused, attachments only as
    checked PNG/JPEG."""
    for cell in nb.cells:
        if cell.cell_type != "markdown":
            continue
        cell.source = defuse_links(cell.source)
        if "<" in cell.source:
            cell.source = sanitize_html(cell.source)
        attachments = cell.get("attachments")
        if isinstance(attachments, dict):
            kept = {}
            for name, bundle in attachments.items():
                if not isinstance(bundle, dict):
                    continue
                images = {m: clean_image(m, bundle[m]) for m in IMAGE_MIMES if m in bundle}
                images = {m: v for m, v in images.items() if v is not None}
                if images:
                    kept[str(name)[:100]] = images
            cell["attachments"] = kept
    return nb
