"""nbgrader configuration for this course. Run nbgrader (and `course`) from this folder."""

c = get_config()  # noqa: F821  (injected by traitlets when nbgrader loads this file)

c.CourseDirectory.course_id = "dl-from-bayes-to-gpt"

# Source notebooks hold both languages; the release is per language. Plain
# `nbgrader generate_assignment` builds the Korean release (the default), and
# `course release --lang en` builds the English one with the same converter.
c.CourseDirectory.release_directory = "release/ko"
# nbgrader's own ignore list, plus the data set manifest (for the grader, not for students)
c.CourseDirectory.ignore = [".ipynb_checkpoints", "*.pyc", "__pycache__", "feedback", "datasets.toml"]
c.GenerateAssignment.preprocessors = [
    "course.language.SelectLanguage",
    "course.colab.ColabLink",
    "nbgrader.preprocessors.IncludeHeaderFooter",
    "nbgrader.preprocessors.InstantiateTests",
    "nbgrader.preprocessors.LockCells",
    "nbgrader.preprocessors.ClearSolutions",
    "nbgrader.preprocessors.ClearOutput",
    "nbgrader.preprocessors.CheckCellMetadata",
    "nbgrader.preprocessors.ComputeChecksums",
    "nbgrader.preprocessors.SaveCells",
    "nbgrader.preprocessors.ClearHiddenTests",
    "nbgrader.preprocessors.ClearMarkScheme",
    "nbgrader.preprocessors.ComputeChecksums",
    "nbgrader.preprocessors.CheckCellMetadata",
]
c.SelectLanguage.lang = "ko"
# The course's own repository, named once: every release notebook starts with an "Open in Colab"
# link to its copy there (course/colab.py), release/<lang>/<assignment>/<notebook>.ipynb on this
# branch. Colab opens notebooks of a public repository; leave the URL empty for no link.
# Set it to the course's real repository before the first release (the one below is a stand-in
# of this kit's; `course release --lang all` then rewrites every link).
c.ColabLink.repository = "https://github.com/dl-course-kit/dl-from-bayes-to-gpt"
c.ColabLink.branch = "main"
# A written answer's marking scheme is a locked markdown cell of its own (course/rubric.py), not an
# nbgrader task cell (a task cell would carry points of its own). SaveCells has stored it in the
# gradebook by the time ClearMarkScheme empties it, so graded notebooks, and formgrader, show it.
c.ClearMarkScheme.enforce_metadata = False

# A deleted test cell, or one whose metadata was stripped, is put back from the
# gradebook and graded, instead of silently waiting for manual grading.
c.OverwriteCells.add_missing_cells = True

# nbgrader zeroes a test cell that wrote anything to stderr. Warnings raised by
# correct code and tqdm progress bars are not failures: drop them before grading.
c.IgnorePattern.enabled = True
c.IgnorePattern.pattern = r"Warning|\d+%\||it/s\]|s/it\]"

# nbgrader's own feedback page shows the test cells of the autograded notebook in full, hidden
# tests included. Formgrader's Generate Feedback buttons and `nbgrader generate_feedback` write
# the kit's page instead (the one `course grade` and `course feedback` write), which never does.
c.GenerateFeedback.exporter_class = "autograder.reports.nbgrader_exporter.TrustedFeedbackExporter"
c.GenerateFeedback.preprocessors = []

# Per-cell budget; grading mode keeps every cell far below it.
c.Execute.timeout = 120
