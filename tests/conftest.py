"""Shared fixtures: a course built once per session, copies of it for tests that write, and every
assignment's submission corpus graded once per session by `course grade`.

The corpus of a notebook is its example submissions (examples/<assignment>/<notebook>/, the
samples), and under tests/submissions/<assignment>/<notebook>/ its mutants, correct variants and
attacks. Each assignment's corpus is graded in one batch (one reference run per notebook, both
cores busy to the end); test files then assert on it per spec. A mutant runs up to the last cell
its spec names (Options.last_cell): a cell's verdict depends only on the cells before it, and the
cells after it (training, mostly) would cost every mutant seconds and prove nothing more.
The attacks on the grader itself (01_probability) need their own limits and a listening server,
so test_attacks.py grades those in a batch of their own.
"""
from __future__ import annotations

import json
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from autograder.grading import GradeRun, Options, grade
from autograder.layout import source_notebooks
from autograder.reports.results import cell_places
from course import specs
from course.demo import DEMO_STUDENTS, prepare_course_copy
from course.release import build_all
from course.specs import SubmissionSpec, load_specs, submit

ROOT = Path(__file__).resolve().parents[1]
SUBMISSIONS = ROOT / specs.CATALOGUE
GOLDENS = ROOT / "tests" / "goldens"
KINDS = ("samples", "mutants", "variants")
GRADER_ATTACKS = ("01_probability", "probability")   # graded apart, by test_attacks.py
# Examples the demo grades (test_demo.py proves their specs and goldens from its run): left out of
# the corpus, but for all_correct, the honest submission graded beside every notebook's attacks.
DEMO_GRADED = frozenset(sample for _, sample, _ in DEMO_STUDENTS) - {"all_correct"}
# Under pytest-xdist (make test runs two test processes) each grading batch runs one sandbox at
# a time, so two processes keep two cores busy and never four sandboxes fight over them.
GRADING_WORKERS = 1 if os.environ.get("PYTEST_XDIST_WORKER") else 2
# Heaviest first, so the two test processes finish together (groups go out in this order).
HEAVY_GROUPS = ("corpus-02_attention_from_scratch", "corpus-04_simple_gpt", "corpus-03_causal_multihead_attention",
                "file-test_demo.py", "file-test_attacks.py", "corpus-01_probability", "file-test_colab.py",
                "file-test_probability_grading.py", "file-test_postgres.py", "file-test_class_reports.py",
                "file-test_sandbox.py", "file-test_trusted_grading.py", "file-test_scaffold.py",
                "file-test_fuzz_coordinator.py",
                "file-test_feedback.py", "file-test_browser_student.py", "file-test_browser_pages.py",
                "file-test_release.py", "file-test_intake.py")


def pytest_addoption(parser):
    parser.addoption("--update-goldens", action="store_true",
                     help="rewrite tests/goldens/*.json from the current grading results")


def group_of(nodeid: str) -> str:
    """Which tests must share a test process: the ones that read one assignment's corpus (it is
    graded once per process), else the ones of one file (module fixtures stay in one process)."""
    path, _, name = nodeid.partition("::")
    param = name.partition("[")[2].rstrip("]")
    if (path.endswith("test_catalogue_trusted.py") and param and not name.startswith("test_every_hidden")) \
            or (path.endswith("test_attacks.py") and name.startswith("test_other_attacks_hold[")):
        return f"corpus-{param.split('/')[0]}"
    return f"file-{Path(path).name}"


def pytest_collection_modifyitems(config, items):
    rank = {group: i for i, group in enumerate(HEAVY_GROUPS)}
    items.sort(key=lambda item: rank.get(group_of(item.nodeid), len(rank)))   # stable: file order otherwise


def pytest_xdist_make_scheduler(config, log):
    """Hand out whole groups (group_of), in collection order (heaviest first, see above), with
    `--no-loadscope-reorder`. (pytest-xdist's own loadgroup cannot rename pytest 9's node ids.)"""
    from xdist.scheduler import LoadScopeScheduling

    class CorpusScheduling(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            return group_of(nodeid)
    return CorpusScheduling(config, log)


def spec_folder(assignment: str, notebook: str, kind: str) -> Path:
    return specs.spec_folder(ROOT, assignment, notebook, kind)


def notebooks(assignment: str) -> list[str]:
    return [p.stem for p in source_notebooks(ROOT, assignment)]


def catalogue(assignment: str, kinds=KINDS) -> list[tuple[str, str, SubmissionSpec]]:
    """(kind, notebook stem, spec) for every spec of an assignment."""
    return specs.catalogue(ROOT, assignment, kinds)


def student_id(kind: str, spec, stem: str | None = None) -> str:
    return f"{kind}-{stem}-{spec.name}" if stem else f"{kind}-{spec.name}"


def copy_course(template: Path, target: Path) -> Path:
    """A private copy of a built course (config, sources, examples, release, gradebook)."""
    shutil.copytree(template, target, symlinks=True)
    return target


@pytest.fixture(scope="session")
def course_template(tmp_path_factory) -> Path:
    """This course's config, sources and examples, release and gradebook built: once per session.
    Never written to by tests; take a copy (fresh_course, copy_course) to write."""
    workdir = prepare_course_copy(ROOT, tmp_path_factory.mktemp("template") / "course")
    build_all(workdir)
    return workdir


@pytest.fixture
def fresh_course(course_template, tmp_path) -> Path:
    """A course of this test's own, to submit, grade and rebuild in."""
    return copy_course(course_template, tmp_path / "course")


@dataclass
class Corpus:
    course: Path
    run: GradeRun
    students: dict[str, tuple[str, str, SubmissionSpec]]   # student -> (kind, notebook stem, spec)

    def outcomes(self, kinds=None, notebook: str | None = None):
        """(kind, stem, spec, outcome) of the graded notebook each student handed in."""
        for outcome in self.run.outcomes:
            kind, stem, spec = self.students[outcome.student]
            if outcome.notebook == stem and (kinds is None or kind in kinds) \
                    and (notebook is None or stem == notebook):
                yield kind, stem, spec, outcome


@pytest.fixture(scope="session")
def graded_corpus(course_template, tmp_path_factory):
    """graded_corpus(assignment): the assignment's samples, mutants, variants and attacks, each
    handed in as one student's notebook and graded together in one `course grade` batch."""
    done: dict[str, Corpus] = {}

    def get(assignment: str) -> Corpus:
        if assignment not in done:
            course = copy_course(course_template, tmp_path_factory.mktemp(f"corpus-{assignment}") / "course")
            students, last_cell = {}, {}
            for stem in notebooks(assignment):
                kinds = KINDS if (assignment, stem) == GRADER_ATTACKS else (*KINDS, "attacks")
                order = cell_places(ROOT, assignment, stem)
                for kind in kinds:
                    for spec in load_specs(spec_folder(assignment, stem, kind)):
                        if kind == "samples" and spec.name in DEMO_GRADED:
                            continue
                        student = student_id(kind, spec, stem)
                        submit(course, spec, assignment, stem, student)
                        students[student] = (kind, stem, spec)
                        named = spec.expect_fail + spec.expect_keep
                        if kind == "mutants" and named and all(g in order for g in named):
                            # what a wrong solution must fail is decided by the cells up to the last
                            # one its spec names: the rest of the notebook (training, mostly) is skipped
                            last_cell[student] = max(named, key=order.__getitem__)
            run = grade(course, assignment, options=Options(workers=GRADING_WORKERS, progress=False,
                                                            resume=False, last_cell=last_cell),
                        students=sorted(students))
            done[assignment] = Corpus(course, run, students)
        return done[assignment]
    return get


def expectation_problems(kind: str, spec: SubmissionSpec, passed: dict[str, bool]) -> list[str]:
    """What is wrong with one graded notebook, given its spec: passed is grade id -> full points.
    Mutants must lose points, variants and specs that expect full must keep them all, and the
    cells a spec names must fail or keep as it says."""
    problems = []
    lost = sorted(g for g, ok in passed.items() if not ok)
    if (kind == "variants" or spec.expect_full) and lost:
        problems.append(f"{spec.name}: a correct solution lost {lost}")
    if kind == "mutants" and not lost:
        problems.append(f"{spec.name}: a wrong solution kept full points ({spec.summary})")
    problems += [f"{spec.name}: should fail {g}" for g in spec.expect_fail if passed.get(g)]
    problems += [f"{spec.name}: unknown cell {g}" for g in spec.expect_fail + spec.expect_keep if g not in passed]
    problems += [f"{spec.name}: should keep {g}" for g in spec.expect_keep if g in passed and not passed[g]]
    return problems


def load_goldens(assignment: str) -> dict:
    path = GOLDENS / f"{assignment}.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


def save_goldens(assignment: str, goldens: dict) -> None:
    GOLDENS.mkdir(exist_ok=True)
    (GOLDENS / f"{assignment}.json").write_text(
        json.dumps(goldens, indent=2, ensure_ascii=False, sort_keys=True) + "\n", encoding="utf-8")
