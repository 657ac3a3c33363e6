"""`course grade`: sandboxed, trusted, resumable, deterministic, parallel and distributed."""
from __future__ import annotations

import csv
import io
import json
import os
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import nbformat
import pytest
from nbgrader.api import Gradebook

from autograder.grading import Options, grade
from autograder.grading.publish import publish
from autograder.nbgrader_app import db_url

from toy_course import make_toy_course, submit

pytestmark = pytest.mark.slow
FAST = dict(workers=2, progress=False, cell_timeout=10)


def scores(run):
    return {(o.student, o.notebook): {g: v.score for g, v in o.verdicts.items()} for o in run.outcomes}


@pytest.fixture
def toy(tmp_path):
    course = make_toy_course(tmp_path / "course")
    submit(course, "correct")
    submit(course, "wrong_double", double_body="return x + 2")
    submit(course, "cheats", extra="import builtins\nclass Yes(int):\n    def __eq__(s, o): return True",
           double_body="return Yes(0)")
    submit(course, "crashes_in_square", square_body="import os; os._exit(1)")
    return course


def test_trusted_scores_feedback_and_gradebook(toy):
    run = grade(toy, "toy", options=Options(**FAST))
    got = scores(run)
    assert got[("correct", "toy")] == {"test_double_values": 3, "test_square_values": 2}
    assert got[("wrong_double", "toy")] == {"test_double_values": 0, "test_square_values": 2}
    assert got[("cheats", "toy")]["test_double_values"] == 0
    cheats = next(o for o in run.outcomes if o.student == "cheats")
    assert any("needs review" in f for f in cheats.flags), "the kernel was fooled: flag it"
    crash = next(o for o in run.outcomes if o.student == "crashes_in_square")
    assert got[("crashes_in_square", "toy")] == {"test_double_values": 3, "test_square_values": 0}
    # cell 6 of the release (the Colab link comes first)
    assert any("died in cell 6 (test_square_values)" in n for n in crash.notes), crash.notes
    assert not run.reference_problems

    # nbgrader's gradebook holds the trusted scores; its export still works
    with Gradebook(db_url(toy)) as gb:
        assert gb.find_submission("toy", "correct").score == 5
        assert gb.find_submission("toy", "cheats").score == 2
    table, paths = publish(toy, run)
    assert "crashes_in_square" in table
    rows = list(csv.DictReader(open(paths["lms"], encoding="utf-8-sig")))
    assert {r["student_id"]: r["total"] for r in rows}["correct"] == "5"
    html = paths["html"].read_text(encoding="utf-8")
    assert "needs review" in html and (paths["html"].parent / "plots").is_dir()

    # feedback: verdicts shown with the failing probe, hidden test code never
    page = (toy / "feedback" / "wrong_double" / "toy" / "toy.html").read_text(encoding="utf-8")
    assert "test_double_values: 0 / 3" in page
    assert "probe_rng(&quot;double&quot;)" not in page and 'probe_rng("double")' not in page
    assert "double_probe: 10 of 10 results differ from the reference; first, probe 1 of 10" in page


def test_nbgrader_export_sees_trusted_scores(toy):
    grade(toy, "toy", options=Options(**FAST))
    run = subprocess.run([sys.executable, "-m", "nbgrader", "export"], cwd=toy,
                         capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    rows = {r["student_id"]: r for r in csv.DictReader(open(toy / "grades.csv"))}
    assert float(rows["correct"]["raw_score"]) == 5
    assert float(rows["wrong_double"]["raw_score"]) == 2


def test_grading_twice_gives_identical_scores(toy):
    first = grade(toy, "toy", options=Options(seed="first", resume=False, **FAST))
    second = grade(toy, "toy", options=Options(seed="second", resume=False, **FAST))
    assert scores(first) == scores(second)


def test_resume_skips_finished_jobs_and_regrades_changed_ones(toy):
    first = grade(toy, "toy", options=Options(**FAST))
    assert first.jobs_run == 1 + 4                      # one reference and four students
    again = grade(toy, "toy", options=Options(**FAST))
    assert again.jobs_run == 0 and all(o.resumed for o in again.outcomes)
    submit(toy, "wrong_double")                         # a corrected resubmission
    third = grade(toy, "toy", options=Options(**FAST))
    assert third.jobs_run == 2                          # its job and the reference
    with Gradebook(db_url(toy)) as gb:
        assert gb.find_submission("toy", "wrong_double").score == 5


def test_last_cell_stops_there_scores_nothing_after_it_and_is_never_resumed(toy):
    """Options.last_cell (how the suite proves a test cell catches a mistake without running the
    rest of the notebook): the cells before it are graded as ever, the ones after it do not run and
    score zero, and nothing is journaled, so the next run grades the notebook in full."""
    submit(toy, "wrong_square", square_body="return x + x")
    partial = grade(toy, "toy", options=Options(**FAST, last_cell={"wrong_square": "test_double_values"}),
                    students=["wrong_square", "correct"])
    by_student = {o.student: o for o in partial.outcomes}
    stopped = by_student["wrong_square"].verdicts
    assert stopped["test_double_values"].trusted_passed and stopped["test_double_values"].score == 3
    assert not stopped["test_square_values"].trusted_passed and stopped["test_square_values"].kernel_passed is None
    assert any("the cells after it were not run" in n for n in by_student["wrong_square"].notes)
    assert all(v.trusted_passed for v in by_student["correct"].verdicts.values())   # the others run in full
    again = grade(toy, "toy", options=Options(**FAST), students=["wrong_square", "correct"])
    resumed = {o.student: o.resumed for o in again.outcomes}
    assert resumed == {"wrong_square": False, "correct": True}
    full = {o.student: o for o in again.outcomes}["wrong_square"].verdicts
    assert full["test_square_values"].kernel_passed is not None   # it ran this time (and is wrong)
    assert not full["test_square_values"].trusted_passed and full["test_double_values"].trusted_passed
    with pytest.raises(ValueError, match="no cell 'no_such_cell'"):
        grade(toy, "toy", options=Options(**FAST, resume=False, last_cell={"correct": "no_such_cell"}),
              students=["correct"])


# A coordinator that hands one long job to its pool, prints the worker's pid, and waits.
POOL_OWNER = """
import sys, time
from autograder.grading.backends import LocalPool
pool = LocalPool(1)
busy = pool.pool.submit(time.sleep, 120)
while not pool.pool._processes:
    time.sleep(0.05)
print(*pool.pool._processes, flush=True)
time.sleep(120)
"""


def test_a_coordinator_killed_with_sigterm_takes_its_workers_with_it():
    owner = subprocess.Popen([sys.executable, "-c", POOL_OWNER], stdout=subprocess.PIPE, text=True,
                             cwd=Path(__file__).resolve().parents[1])
    try:
        workers = [int(pid) for pid in owner.stdout.readline().split()]
        assert workers and all(_alive(pid) for pid in workers)
        owner.send_signal(signal.SIGTERM)
        owner.wait(timeout=10)
        deadline = time.monotonic() + 10
        while any(_alive(pid) for pid in workers) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not any(_alive(pid) for pid in workers), "a pool worker outlived its coordinator"
    finally:
        owner.kill()


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().split(") ")[-1][0] != "Z"   # a zombie has ended
    except FileNotFoundError:
        return False


def test_sigkill_mid_batch_then_rerun_loses_and_doubles_nothing(tmp_path):
    course = make_toy_course(tmp_path / "course")
    students = [f"s{i:02d}" for i in range(6)]
    for i, student in enumerate(students):
        # each job takes over a second, so with one worker the kill lands mid-batch
        submit(course, student, double_body="return 2 * x" if i % 2 else "return x + 1")
    journal = course / "autograded" / ".course-grade" / "toy.jsonl"
    proc = subprocess.Popen([sys.executable, "-m", "course.cli", "grade", "toy", "--workers", "1"],
                            cwd=course, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)
    deadline = time.time() + 240
    while time.time() < deadline:
        if journal.exists() and len(journal.read_text().splitlines()) >= 2:
            break
        time.sleep(0.1)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    done_before = len({json.loads(line)["student"] for line in journal.read_text().splitlines()})
    assert 2 <= done_before < len(students), "the kill should land mid-batch"

    resumed = grade(course, "toy", options=Options(**FAST))
    assert sum(o.resumed for o in resumed.outcomes) == done_before
    assert resumed.jobs_run == 1 + len(students) - done_before

    clean = make_toy_course(tmp_path / "clean")
    for i, student in enumerate(students):
        submit(clean, student, double_body="return 2 * x" if i % 2 else "return x + 1")
    grade(clean, "toy", options=Options(**FAST))
    with Gradebook(db_url(course)) as gb, Gradebook(db_url(clean)) as ref:
        for student in students:
            assert len(gb.find_student(student).submissions) == 1
            assert gb.find_submission("toy", student).score == ref.find_submission("toy", student).score
        assert len(gb.students) == len(students)


def test_dask_cluster_gives_the_same_scores(toy):
    from distributed import LocalCluster
    local = grade(toy, "toy", options=Options(resume=False, seed="s", **FAST))
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        distributed = grade(toy, "toy", options=Options(resume=False, seed="s", scheduler=cluster.scheduler_address,
                                                        progress=False, cell_timeout=10))
    assert scores(distributed) == scores(local)


def test_lms_zip_with_korean_names_junk_and_traversal(toy, tmp_path):
    good = (toy / "submitted" / "correct" / "toy" / "toy.ipynb").read_bytes()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("2026001_김민수_toy.ipynb", good)
        archive.writestr("2026002_이서연/toy.ipynb", good)
        archive.writestr("2026003_박지훈_toy (1).ipynb", good)
        archive.writestr("__MACOSX/._2026001_김민수_toy.ipynb", b"junk")
        archive.writestr("readme.txt", b"hello")
        archive.writestr("../../evil_toy.ipynb", good)
        archive.writestr("2026004_최유진_toy.ipynb", b"{broken")
    zipped = tmp_path / "lms.zip"
    zipped.write_bytes(buffer.getvalue())
    run = grade(toy, "toy", zipped, Options(**FAST))
    got = scores(run)
    assert got[("2026001", "toy")] == {"test_double_values": 3, "test_square_values": 2}
    assert got[("2026002", "toy")] == {"test_double_values": 3, "test_square_values": 2}
    assert "toy (1).ipynb is not a notebook of toy" in run.rejected["2026003"]
    assert "not valid JSON" in run.rejected["2026004"]
    assert not (toy / "submitted" / "2026004").exists(), "a broken member is never written"
    assert any("leaves the submission folder" in r for r in run.rejected.values())
    assert not (tmp_path / "evil_toy.ipynb").exists() and not (toy.parent / "evil_toy.ipynb").exists()
    assert run.names["2026001"] == "김민수"
    _, paths = publish(toy, run)
    assert "김민수" in paths["lms"].read_text(encoding="utf-8-sig")


def test_fallback_warns_loudly_and_never_records_a_broken_run_as_graded(toy):
    """Forced fallback: the warning reaches the report. Where the fallback cannot run at all
    (as root, with the interpreter under /root, as on CI) nothing is graded or journaled, and
    every submission says why; a later run grades them."""
    run = grade(toy, "toy", options=Options(isolation="fallback", **FAST))
    assert run.isolation == "fallback" and "SANDBOX FALLBACK" in run.isolation_warning
    _, paths = publish(toy, run)
    assert "WARNING: SANDBOX FALLBACK" in paths["html"].read_text(encoding="utf-8")
    if run.reference_problems:  # the fallback refused to run here: say so, grade nothing
        assert run.outcomes == [] and set(run.rejected) == {"correct", "wrong_double", "cheats",
                                                            "crashes_in_square"}
        assert all("the grader failed" in r for r in run.rejected.values())
        journal = toy / "autograded" / ".course-grade" / "toy.jsonl"
        assert not journal.exists()
        again = grade(toy, "toy", options=Options(**FAST))   # bubblewrap works again
        assert {o.student for o in again.outcomes} == set(run.rejected) and not again.rejected
    else:  # the fallback ran (a non-root user, or a readable interpreter): it must grade right
        assert scores(run)[("correct", "toy")] == {"test_double_values": 3, "test_square_values": 2}


def test_manual_grades_from_formgrader_survive_regrading(toy):
    """A person's score on a cell (what formgrader writes) is kept when the grader runs again."""
    grade(toy, "toy", options=Options(**FAST))
    with Gradebook(db_url(toy)) as gb:
        g = gb.find_grade("test_double_values", "toy", "toy", "wrong_double")
        g.manual_score = 1.5  # the instructor gives partial credit by hand
        gb.db.commit()
    grade(toy, "toy", options=Options(resume=False, **FAST))
    with Gradebook(db_url(toy)) as gb:
        g = gb.find_grade("test_double_values", "toy", "toy", "wrong_double")
        assert g.manual_score == 1.5 and g.score == 1.5 and g.auto_score == 0
        assert gb.find_submission("toy", "wrong_double").score == 3.5


def test_a_reference_that_stops_early_grades_nobody(toy):
    """The answer key is an infrastructure part: if its run stops early (here its set-up cell
    outlives the cell limit), nobody is scored or journaled against it, and the report says why;
    a later run with a working reference grades everyone."""
    source = toy / "source" / "toy" / "toy.ipynb"
    nb = nbformat.read(source, as_version=4)
    original = nb.cells[2].source
    nb.cells[2].source = original + "\ntime.sleep(30)"
    nbformat.write(nb, source)
    run = grade(toy, "toy", options=Options(workers=2, progress=False, cell_timeout=2))
    assert run.outcomes == []
    assert set(run.rejected) == {"correct", "wrong_double", "cheats", "crashes_in_square"}
    assert all("the reference run stopped early" in r for r in run.rejected.values()), run.rejected
    assert any("nobody was graded" in p for p in run.reference_problems)
    assert not (toy / "autograded" / ".course-grade" / "toy.jsonl").exists()
    nb.cells[2].source = original
    nbformat.write(nb, source)
    again = grade(toy, "toy", options=Options(**FAST))
    assert {o.student for o in again.outcomes} == set(run.rejected) and not again.rejected
