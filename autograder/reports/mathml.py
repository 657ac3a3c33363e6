"""Math in a page, typeset before the page is written: TeX to MathML, which the browser draws.

The math is a student's text, so it is hostile. latex2mathml turns it into MathML markup, but it
does not escape everything (`\\text{<img ...>}` comes out as raw markup) and it writes `\\href`
as an `href` attribute. So its output is parsed as XML and built again from the tree: only the
MathML Core elements (what Chromium and Firefox draw) and their layout attributes survive, every
text and attribute value is escaped by the serialiser, and anything else (markup that is not
well-formed, an element or attribute outside the lists, a command latex2mathml cannot read)
leaves the math as the student typed it, escaped. No script is involved at any point, so a page
with math needs none, and it reads the same offline.
"""
from __future__ import annotations

import html
import re
import xml.etree.ElementTree as ET

from latex2mathml.converter import convert

MATHML = "http://www.w3.org/1998/Math/MathML"
# MathML Core's elements (https://w3c.github.io/mathml-core/), less the ones that link or script
ELEMENTS = {"math", "mrow", "mi", "mn", "mo", "ms", "mtext", "mspace", "msub", "msup", "msubsup",
            "munder", "mover", "munderover", "mmultiscripts", "mprescripts", "none", "mfrac", "msqrt",
            "mroot", "mstyle", "mpadded", "mphantom", "merror", "mtable", "mtr", "mtd", "semantics",
            "annotation"}
# layout attributes only: no href, style, class, id, event handler or namespaced attribute
ATTRIBUTES = {"display", "displaystyle", "scriptlevel", "mathvariant", "dir", "stretchy", "symmetric",
              "largeop", "movablelimits", "lspace", "rspace", "minsize", "maxsize", "form", "fence",
              "separator", "accent", "accentunder", "linethickness", "width", "height", "depth",
              "voffset", "columnalign", "rowalign", "columnspacing", "rowspacing", "columnlines",
              "rowlines", "frame", "columnspan", "rowspan", "encoding"}
# the spans and divs markdown.py writes, as nh3 writes them back: their text is escaped TeX
_MATH_ELEMENT = re.compile(r'<(span|div) class="math (inline|block)">([^<]*)</\1>')


def _rebuild(element: ET.Element) -> ET.Element:
    name = element.tag.removeprefix(f"{{{MATHML}}}")
    if name not in ELEMENTS:
        raise ValueError(f"not MathML Core: {element.tag}")
    if set(element.attrib) - ATTRIBUTES:
        raise ValueError(f"attribute not allowed: {sorted(set(element.attrib) - ATTRIBUTES)}")
    built = ET.Element(name, dict(element.attrib))
    built.text = element.text
    for child in element:
        part = _rebuild(child)
        part.tail = child.tail
        built.append(part)
    return built


def tex_to_mathml(tex: str, display: bool) -> str | None:
    """Vetted MathML for one formula (its TeX kept as an annotation), or None if it cannot be."""
    try:
        tree = ET.fromstring(convert(tex, display="block" if display else "inline"))
        math = _rebuild(tree)
    except Exception:  # latex2mathml's errors have no common class; any failure keeps the source
        return None
    # the TeX stays with the formula (copy and paste, screen readers), not shown
    semantics = ET.Element("semantics")
    semantics.extend(list(math))
    annotation = ET.SubElement(semantics, "annotation", {"encoding": "application/x-tex"})
    annotation.text = tex
    math[:] = [semantics]
    math.set("display", "block" if display else "inline")
    return ET.tostring(math, encoding="unicode", short_empty_elements=False)


def _typeset(match: re.Match) -> str:
    tag, kind, escaped = match.groups()
    source = html.unescape(escaped).strip()
    fence = 2 if tag == "div" else 1
    mathml = tex_to_mathml(source[fence:-fence], display=tag == "div")
    return match.group(0) if mathml is None else f'<{tag} class="math {kind}">{mathml}</{tag}>'


def typeset(sanitised: str) -> str:
    """Sanitised HTML from markdown.py with each math element's TeX replaced by MathML."""
    return _MATH_ELEMENT.sub(_typeset, sanitised)
