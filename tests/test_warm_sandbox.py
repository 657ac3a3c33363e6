"""Warm sandboxes against hostile notebooks: what one notebook does must never reach the next.

A grading worker keeps one sandbox for many notebooks (autograder/sandbox/warm.py), each run in
a process forked from the sandbox's pid 1 (autograder/kernel/warm.py). Each test here hands a
hostile notebook to the real grading job (run_job, real bubblewrap) and then an honest one to the
same warm sandbox, and checks from the honest one's outputs and from outside that nothing of the
first was left: no process, no file, no IPC object, no changed module, no broken server.
"""
from __future__ import annotations

import json
import os
import sys
import textwrap

import nbformat
import pytest

from autograder.grading import jobs
from autograder.grading.jobs import Job, run_job
from autograder.sandbox import Limits, probe_isolation
from autograder.sandbox.tools import tool
from autograder.sandbox.warm import WarmSandbox

pytestmark = [pytest.mark.slow, pytest.mark.timeout(300),
              pytest.mark.skipif(tool("bwrap") is None, reason="bubblewrap is not installed")]

LIMITS = Limits(wall_seconds=60)
PRELOAD = ("numpy",)


@pytest.fixture(autouse=True)
def fresh_warm_sandboxes():
    assert probe_isolation()[0] == "bubblewrap", probe_isolation()[1]
    jobs.close_warm_sandboxes()
    yield
    jobs.close_warm_sandboxes()


def job(*cells: str, student: str = "s", limits: Limits = LIMITS, warm: bool = True,
        isolation: str = "auto") -> Job:
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(textwrap.dedent(c)) for c in cells])
    return Job("student", student, "a", "nb", nbformat.writes(nb), "seed", 20, limits, (), isolation, (),
               warm=warm, preload=PRELOAD)


def printed(output) -> list[str]:
    """The stdout of each code cell of the executed notebook (errors as 'ERROR name: value')."""
    assert output.error is None, output.error
    nb = json.loads(output.executed)
    texts = []
    for cell in nb["cells"]:
        text = "".join(o.get("text", "") for o in cell["outputs"] if o["output_type"] == "stream")
        text += "".join(f"ERROR {o['ename']}: {o['evalue']}" for o in cell["outputs"]
                        if o["output_type"] == "error")
        texts.append(text.strip())
    return texts


def live_sessions():
    return [s for group in jobs._warm.values() for s in group if s.alive]


def the_session():
    live = live_sessions()
    assert len(live) == 1, jobs._warm
    return live[0]


SEES = '''
import os, json
others = sorted(int(p) for p in os.listdir("/proc") if p.isdigit() and int(p) not in (1, os.getpid()))
names = {p: open(f"/proc/{p}/cmdline", "rb").read()[:80].decode(errors="replace")
         for p in others if os.path.exists(f"/proc/{p}")}
found = [p for p in ("/tmp/planted", "/tmp/home/planted", "/dev/shm/planted",
                     "/tmp/home/.ipython/profile_default/startup/00-planted.py",
                     "/tmp/matplotlib/matplotlibrc") if os.path.exists(p)]
ipc = {t: open(f"/proc/sysvipc/{t}").read().splitlines()[1:] for t in ("shm", "sem", "msg")}
print(json.dumps({"others": names, "found": found, "ipc": ipc, "cwd": os.getcwd(),
                  "env": os.environ.get("PLANTED"), "listing": sorted(os.listdir("."))}))
'''


def seen(output) -> dict:
    return json.loads(printed(output)[-1])


def test_a_notebook_leaves_nothing_for_the_next():
    first = run_job(job('''
        import ctypes, os, subprocess, sys, time
        for path in ("/tmp/planted", "/tmp/home/planted", "/dev/shm/planted"):
            open(path, "w").write("x")
        os.makedirs("/tmp/home/.ipython/profile_default/startup", exist_ok=True)
        open("/tmp/home/.ipython/profile_default/startup/00-planted.py", "w").write("print('planted')")
        os.makedirs("/tmp/matplotlib", exist_ok=True)
        open("/tmp/matplotlib/matplotlibrc", "w").write("lines.linewidth: 9")
        os.environ["PLANTED"] = "1"
        libc = ctypes.CDLL(None, use_errno=True)
        shm = libc.shmget(0x5eed, 4096, 0o1666)          # IPC_CREAT | 0666
        sem = libc.semget(0x5eed, 1, 0o1666)
        msg = libc.msgget(0x5eed, 0o1666)
        # a daemon that escapes its session and waits for the next notebook
        subprocess.Popen([sys.executable, "-c", "import time; time.sleep(3600)"], start_new_session=True,
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        if os.fork() == 0:
            os.setsid()
            if os.fork() == 0:
                time.sleep(3600)
            os._exit(0)
        time.sleep(0.2)
        print(shm >= 0, sem >= 0, msg >= 0)
        ''', SEES))
    assert printed(first)[0] == "True True True"
    before = seen(first)
    assert before["others"] and before["found"] and before["env"] == "1", before   # the attack was real
    session = the_session()
    second = run_job(job(SEES, student="t"))
    assert the_session() is session and session.runs == 2      # the same warm sandbox served both
    after = seen(second)
    assert after["others"] == {} and after["found"] == [] and after["env"] is None, after
    assert after["ipc"] == {"shm": [], "sem": [], "msg": []}
    assert after["cwd"] != before["cwd"]
    assert after["listing"] == ["evidence.jsonl", "executed.ipynb", "executed.ipynb.tmp", "status.json",
                                "submission.ipynb"] or "planted" not in " ".join(after["listing"])


def test_the_server_cannot_be_killed_stopped_traced_or_read():
    attack = run_job(job('''
        import ctypes, os, signal
        results = {}
        for sig in (signal.SIGKILL, signal.SIGTERM, signal.SIGINT, signal.SIGSTOP, signal.SIGSEGV):
            try:
                os.kill(1, sig)
                results[sig.name] = "sent"
            except OSError as err:
                results[sig.name] = type(err).__name__
        for name in ("mem", "environ", "maps", "fd"):
            try:
                os.listdir("/proc/1/fd") if name == "fd" else open(f"/proc/1/{name}", "rb").read(10)
                results[name] = "read"
            except OSError as err:
                results[name] = type(err).__name__
        libc = ctypes.CDLL(None, use_errno=True)
        results["ptrace"] = libc.ptrace(16, 1, None, None)   # PTRACE_ATTACH
        print(results)
        ''', '''
        import os
        links = []
        for fd in os.listdir("/proc/self/fd"):
            try:
                links.append(os.readlink(f"/proc/self/fd/{fd}"))
            except OSError:
                pass
        print(os.getppid(), sorted(links))
        '''))
    results = eval(printed(attack)[0])
    assert results["ptrace"] == -1
    assert {results[k] for k in ("mem", "environ", "maps", "fd")} <= {"PermissionError"}, results
    # the notebook's own process holds no copy of the server's control socket
    ppid, fds = printed(attack)[1].split(" ", 1)
    assert ppid == "1" and "socket:" not in fds and "pipe:" in fds, fds   # the hidden-test pipes only
    session = the_session()
    assert session.alive
    after = run_job(job("print('still serving')", student="t"))
    assert printed(after) == ["still serving"] and the_session() is session and session.runs == 2


def test_a_changed_module_or_random_state_does_not_carry_over():
    code = '''
        import numpy, random
        print(numpy.pi, numpy.random.rand(), random.random())
        numpy.pi = 3
        numpy.random.seed(0)
        random.seed(0)
        '''
    one, two = (printed(run_job(job(code, student=s)))[0].split() for s in ("s", "t"))
    assert one[0] == two[0] == "3.141592653589793"
    assert one[1] != two[1] and one[2] != two[2]   # each notebook's RNGs seeded afresh, as in a new process


def test_a_notebook_over_its_wall_time_is_stopped_and_the_next_one_runs():
    stubborn = "import time\nwhile True:\n    try:\n        time.sleep(1)\n    except BaseException:\n        pass"
    slow = run_job(job(stubborn, limits=Limits(wall_seconds=8)))
    assert slow.timed_out
    after = run_job(job(SEES, student="t", limits=Limits(wall_seconds=8)))
    assert seen(after)["others"] == {}


def test_a_notebook_that_runs_out_of_memory_is_reported_and_the_next_one_runs():
    if not jobs.sandbox.cgroup_support()[0]:
        pytest.skip("no cgroups here: only RLIMIT_AS bounds memory")   # CI has cgroup v1
    small = Limits(wall_seconds=60, group_memory_bytes=400 << 20)
    hog = run_job(job("import numpy\nblocks = []\nwhile True:\n    blocks.append(numpy.ones(1 << 24))",
                      limits=small))
    assert any("ran out of memory" in note for note in hog.notes), hog.notes
    after = run_job(job("print('fine')", student="t", limits=small))
    assert printed(after) == ["fine"]


def test_the_run_folder_holds_nothing_of_others_and_its_parent_is_closed():
    out = run_job(job('''
        import os
        try:
            open("../planted", "w")
            print("wrote")
        except OSError as err:
            print(type(err).__name__)
        try:
            print(os.listdir(".."))
        except OSError as err:
            print(type(err).__name__)
        '''))
    assert printed(out)[0].splitlines() == ["PermissionError", "PermissionError"]


def test_without_bubblewrap_or_when_asked_a_job_runs_cold():
    out = run_job(job("print('cold')", warm=False))
    assert printed(out) == ["cold"] and not live_sessions()
    forced = run_job(job("print('fallback')", isolation="fallback"))
    assert not live_sessions()
    # the fallback ran (loud warning) or refused loudly (an interpreter under /root, as here)
    assert forced.warning or "SANDBOX FALLBACK" in (forced.error or ""), forced


def test_a_server_that_would_share_state_refuses_and_jobs_run_cold(tmp_path):
    """Importing something that starts a thread: a fork would copy a half-held lock into every child."""
    runtime = jobs.runtime_dir()
    script = ("import sys, threading, time; threading.Thread(target=time.sleep, args=(60,), daemon=True).start();"
              "from autograder.kernel import warm; warm.main(sys.argv[1:])")
    session = WarmSandbox([sys.executable, "-c", script, "--control", "{control}"], limits=LIMITS,
                          env={"PYTHONPATH": str(runtime)},
                          readonly=[*jobs.sandbox.runtime_paths(), runtime])
    hello = session.start()
    assert hello["ready"] is False and "threads" in hello["why"]
    assert not session.alive
    assert os.path.exists(str(runtime))


def test_warm_and_cold_grading_give_the_same_verdicts(course_template, tmp_path):
    """`course grade` warm (the default) and --cold on the same notebooks, with one probe seed:
    the same points in every cell for a correct example, a wrong one and a crashing one."""
    from autograder.grading import Options, grade
    from course.specs import submit

    from conftest import catalogue, copy_course
    chosen = {spec.name: spec for kind, _, spec in catalogue("01_probability", ("samples", "mutants"))
              if spec.name in ("all_correct", "raises", "fails_hidden_only")}
    assert len(chosen) == 3
    verdicts = {}
    for warm in (True, False):
        course = copy_course(course_template, tmp_path / f"warm-{warm}")
        for name, spec in chosen.items():
            submit(course, spec, "01_probability", "probability", name)
        run = grade(course, "01_probability", options=Options(workers=1, progress=False, resume=False,
                                                              seed="same-probes", warm=warm),
                    students=sorted(chosen))
        assert not [o.error for o in run.outcomes if o.error]
        verdicts[warm] = {(o.student, g): (v.score, v.kernel_passed, tuple(v.reasons))
                          for o in run.outcomes for g, v in o.verdicts.items()}
    assert verdicts[True] == verdicts[False]
    assert {s for s, _ in verdicts[True]} == set(chosen)
    assert any(score for score, _, _ in verdicts[True].values()) and len(set(verdicts[True].values())) > 1


def test_two_threads_of_one_worker_never_share_a_warm_sandbox():
    """A Dask worker runs jobs in threads: each job claims a warm sandbox of its own."""
    from concurrent.futures import ThreadPoolExecutor
    code = "import os, time\ntime.sleep(1.5)\nprint(os.getcwd())"
    with ThreadPoolExecutor(2) as pool:
        outs = list(pool.map(lambda s: run_job(job(code, student=s)), ("s", "t")))
    folders = [printed(o)[0] for o in outs]
    assert folders[0] != folders[1]
    assert len(live_sessions()) == 2 and {s.runs for s in live_sessions()} == {1}
