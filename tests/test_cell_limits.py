"""The per-cell limit: set once (Execute.timeout in nbgrader_config.py, the CLI may override it),
counted in CPU seconds so that a busy machine does not cost a correct cell its points, and as
many seconds of waiting without computing for a cell that sleeps or blocks."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest

from autograder.grading import Options, grade
from autograder.kernel.executor import IDLE_WINDOW, RECOVERY_TIMEOUT, Watchdog
from autograder.nbgrader_app import cached_config, cell_timeout
from course.cli import build_parser
from course.specs import load_spec, submit

from conftest import spec_folder

ROOT = Path(__file__).resolve().parents[1]


def course_with(tmp_path: Path, line: str) -> Path:
    root = tmp_path / f"course{abs(hash(line))}"
    root.mkdir()
    (root / "nbgrader_config.py").write_text(f"c = get_config()\n{line}\n", encoding="utf-8")
    cached_config.cache_clear()
    return root


def test_the_limit_comes_from_nbgrader_config_and_the_cli_overrides_it(tmp_path):
    assert cell_timeout(ROOT) == 120.0   # this course's nbgrader_config.py
    assert Options().for_course(ROOT).cell_timeout == 120.0
    assert Options(cell_timeout=7).for_course(ROOT).cell_timeout == 7
    assert cell_timeout(course_with(tmp_path, "c.Execute.timeout = 45")) == 45.0
    assert cell_timeout(course_with(tmp_path, "")) == 30.0   # nbgrader's own default
    args = build_parser().parse_args(["grade", "01_probability"])
    assert args.cell_timeout is None   # so grade() reads the course's value
    assert build_parser().parse_args(["grade", "a", "--cell-timeout", "9"]).cell_timeout == 9


@pytest.mark.parametrize("line", ["c.Execute.timeout = 0", "c.Execute.timeout = -5", "c.Execute.timeout = 'long'"])
def test_a_bad_limit_is_a_clear_error(tmp_path, line):
    with pytest.raises(ValueError, match="Execute.timeout"):
        cell_timeout(course_with(tmp_path, line))
    with pytest.raises(ValueError, match="positive"):
        Options(cell_timeout=0).for_course(ROOT)


def watched(limit: float, cpu_per_second: float, seconds: int) -> tuple[int, str]:
    """Feed a watchdog a cell that gets `cpu_per_second` of CPU each second (a fake clock): the
    second it stops the cell, and why (0 and '' when it runs its course)."""
    cpu = [0.0]
    dog = Watchdog(limit, give_up=lambda: None, clock=lambda: cpu[0])
    dog.arm()
    start = dog.window[0]
    for second in range(1, seconds + 1):
        for tenth in range(1, 11):
            cpu[0] += cpu_per_second / 10
            reason = dog.tick(start + second - 1 + tenth / 10 * IDLE_WINDOW, cpu[0])
            if reason:
                return second, reason
    return 0, ""


def test_waiting_for_a_cpu_does_not_count_computing_and_waiting_without_computing_do():
    assert watched(10, 0.1, 60) == (0, "")          # starved (a tenth of a core): 60 s, 6 s of CPU, runs on
    second, reason = watched(10, 1.0, 60)           # computing flat out
    assert second == 11 and "CPU time" in reason
    second, reason = watched(10, 0.0, 60)           # sleeping or blocked
    assert second == 11 and "without computing" in reason
    assert watched(10, 0.3, 30)[0] == 0 and watched(10, 0.45, 30)[0] == 23   # CPU seconds, whatever the pace


def run_cells(tmp_path: Path, limit: float, *cells: str) -> tuple[dict, list]:
    notebook = tmp_path / "in.ipynb"
    nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in cells]), notebook)
    subprocess.run([sys.executable, "-m", "autograder.kernel.executor", str(notebook), str(tmp_path / "out.ipynb"),
                    "--status", str(tmp_path / "status.json"), "--cell-timeout", str(limit)],
                   cwd=ROOT, check=True, timeout=120)
    executed = json.loads((tmp_path / "out.ipynb").read_text(encoding="utf-8"))
    errors = [[o["evalue"] for o in c["outputs"] if o["output_type"] == "error"] for c in executed["cells"]]
    return json.loads((tmp_path / "status.json").read_text(encoding="utf-8")), errors


@pytest.mark.slow
def test_the_executor_stops_a_busy_cell_by_cpu_time_and_a_waiting_one_by_idle_time(tmp_path):
    # 2 s per cell: spinning is stopped after 2 s of CPU (however long that takes on this machine),
    # sleeping after 2 s of waiting, and the next cell runs
    status, errors = run_cells(tmp_path, 2, "while True:\n    pass", "import time\ntime.sleep(60)",
                               "print('still running')")
    assert [c["status"] for c in status["cells"]] == ["timeout", "timeout", "ok"], status
    assert status["finished"]
    assert 2 <= status["cells"][0]["cpu_seconds"] < 4
    assert 2 <= status["cells"][1]["seconds"] < 4 + RECOVERY_TIMEOUT and status["cells"][1]["cpu_seconds"] < 0.5
    assert "CPU time" in errors[0][0] and "without computing" in errors[1][0], errors


SLOW_CELL_LIMIT = 15   # seconds of CPU per cell: about three times what any cell of the variant computes
NEIGHBOURS = 4         # processes spinning on the run's one core: each cell waits four times as long as it computes


@pytest.mark.slow
@pytest.mark.timeout(900)
def test_a_slower_correct_solution_keeps_its_points_beside_a_cpu_bound_neighbour(fresh_course):
    """02's attention step by broadcasting and sum is correct and slower than torch.bmm. It is graded
    on one core shared with four processes that spin for the whole run, so every cell waits about
    four times as long for the CPU as it computes: its training cell takes longer than the limit
    on the clock, and far less than the limit in CPU time. It keeps every point. (One core, not
    two: the neighbours cost the suite one core for a minute, and the slowdown is the same.)"""
    assignment, notebook = "02_attention_from_scratch", "attention_layers_numpy"
    spec = load_spec(spec_folder(assignment, notebook, "variants") / "torch_broadcasting_and_sum.py")
    submit(fresh_course, spec, assignment, notebook, "slow-but-correct")
    mine = os.sched_getaffinity(0)
    core = {min(mine)}
    burners = [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(NEIGHBOURS)]
    try:
        for burner in burners:
            os.sched_setaffinity(burner.pid, core)
        os.sched_setaffinity(0, core)   # the grading pool, its sandboxes and kernels inherit it
        started = time.monotonic()
        run = grade(fresh_course, assignment, options=Options(workers=1, progress=False, resume=False,
                                                              cell_timeout=SLOW_CELL_LIMIT),
                    students=["slow-but-correct"])
        seconds = time.monotonic() - started
    finally:
        os.sched_setaffinity(0, mine)
        for burner in burners:
            burner.kill()
            burner.wait()
    assert not run.reference_problems and not run.rejected, (run.reference_problems, run.rejected)
    (outcome,) = [o for o in run.outcomes if o.notebook == notebook]
    lost = sorted(g for g, v in outcome.verdicts.items() if not v.trusted_passed)
    assert outcome.verdicts and not lost, lost
    # the neighbours did slow it: the run (mostly the two training cells, the reference's and the
    # variant's) took longer on the clock than a wall-clock limit would have allowed one cell
    assert seconds > 2 * SLOW_CELL_LIMIT, seconds
