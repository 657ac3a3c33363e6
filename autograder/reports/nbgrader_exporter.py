"""The page nbgrader's own feedback path writes: the kit's, never nbgrader's.

nbgrader's GenerateFeedback converts each autograded notebook with nbconvert's HTML exporter, and
an autograded notebook holds the instructor's test cells in full, hidden tests included (they are
restored from the gradebook before grading). nbgrader_config.py therefore names this exporter
(`GenerateFeedback.exporter_class`), so formgrader's Generate Feedback buttons (NbGraderAPI's
generate_feedback) and `nbgrader generate_feedback` write the same page as `course grade` and
`course feedback`: from the kit's record and the gradebook, or, for a notebook the kit did not
grade, from the autograded notebook with every hidden-test region cut out. Release Feedback then
copies those pages as they are.
"""
from __future__ import annotations

from pathlib import Path

from nbconvert.exporters import Exporter
from traitlets import default

from .feedback import feedback_html


class TrustedFeedbackExporter(Exporter):
    """nbconvert's interface, the kit's page: the notebook nbgrader hands in is used only as the
    fallback's source, and its path and nbgrader's resources say whose page to write."""

    output_mimetype = "text/html"

    @default("file_extension")
    def _file_extension_default(self):
        return ".html"

    def from_notebook_node(self, nb, resources=None, **kw):
        nb_copy, resources = super().from_notebook_node(nb, resources, **kw)
        ids = resources["nbgrader"]
        coursedir = getattr(self.parent, "coursedir", None)
        root = Path(coursedir.root if coursedir is not None else ".").resolve()
        page = feedback_html(root, ids["assignment"], ids["student"], ids["notebook"], autograded_nb=nb_copy)
        return page, resources
