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
import signal
import sys
import textwrap
import threading
import time

import nbformat
import pytest

from autograder.grading import jobs
from autograder.grading.jobs import Job, run_job
from autograder.sandbox import Limits, probe_isolation
from autograder.sandbox import warm as warm_sandbox
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
    return [s for s in jobs._warm.values() if s and s.alive]


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


INHERITED = '''
import ctypes, json, os, resource
libc = ctypes.CDLL(None, use_errno=True)
libc.syscall.restype = ctypes.c_long
print(json.dumps({"rlimits": [resource.getrlimit(getattr(resource, n)) for n in
                              ("RLIMIT_NOFILE", "RLIMIT_AS", "RLIMIT_FSIZE", "RLIMIT_CPU", "RLIMIT_NPROC")],
                  "nice": os.getpriority(os.PRIO_PROCESS, 0), "policy": os.sched_getscheduler(0),
                  "cpus": sorted(os.sched_getaffinity(0)), "ioprio": libc.syscall(252, 1, 0),
                  "autogroup": open("/proc/self/autogroup").read().split()[-1]}))
'''


def test_a_notebook_cannot_change_what_the_next_one_inherits_from_the_server():
    """prlimit(), setpriority(), sched_setscheduler(), sched_setaffinity() and ioprio_set() on
    pid 1 need only the same uid, not ptrace rights, and a session shares its autogroup. A
    notebook that lowered these for the server would hand them to the next notebook, forked
    from it: a 64-file limit, a smaller address space and file size, nice 10, one CPU, idle I/O,
    SCHED_BATCH, an autogroup at nice 19."""
    fresh = seen(run_job(job(INHERITED)))
    attack = run_job(job('''
        import ctypes, os, resource
        libc = ctypes.CDLL(None, use_errno=True)
        resource.prlimit(1, resource.RLIMIT_NOFILE, (64, 64))
        resource.prlimit(1, resource.RLIMIT_AS, (3 << 30, 3 << 30))
        resource.prlimit(1, resource.RLIMIT_FSIZE, (1 << 20, 1 << 20))
        os.setpriority(os.PRIO_PROCESS, 1, 10)
        os.sched_setaffinity(1, {min(os.sched_getaffinity(1))})
        os.sched_setscheduler(1, os.SCHED_BATCH, os.sched_param(0))
        open("/proc/self/autogroup", "w").write("19")
        print(libc.syscall(251, 1, 1, 3 << 13), resource.prlimit(1, resource.RLIMIT_NOFILE))  # ioprio: idle
        ''', INHERITED))
    assert printed(attack)[0] == "0 (64, 64)"      # every change was accepted
    assert seen(attack)["autogroup"] == "19"
    assert seen(run_job(job(INHERITED, student="t"))) == fresh


def test_folders_made_read_only_or_thousands_deep_are_emptied_too():
    """The server owns everything in /tmp and /dev/shm but has no capability to override
    permissions: a folder without write permission keeps its files from unlink(), and one
    thousands of folders deep overflows a recursive removal. /tmp itself can be made read-only."""
    first = run_job(job('''
        import os
        print(oct(os.stat("/tmp").st_mode), sorted(os.listdir("/tmp")))
        ''', '''
        os.makedirs("/tmp/home/.cache/torchinductor")
        open("/tmp/home/.cache/torchinductor/planted.py", "w").write("print('planted')")
        os.chmod("/tmp/home/.cache", 0o555)
        os.makedirs("/dev/shm/locked/inner")
        os.chmod("/dev/shm/locked/inner", 0)
        os.chmod("/dev/shm/locked", 0o500)
        os.mkdir("/tmp/deep")
        os.chdir("/tmp/deep")
        for _ in range(3000):
            os.mkdir("d")
            os.chdir("d")
        open("planted", "w").write("x")
        os.chdir("/")
        os.chmod("/tmp", 0o555)
        print("planted")
        '''))
    mode, before = printed(first)[0].split(" ", 1)
    assert printed(first)[1] == "planted"
    session = the_session()
    after = printed(run_job(job('''
        import os
        print(oct(os.stat("/tmp").st_mode), sorted(os.listdir("/tmp")), sorted(os.listdir("/tmp/home")),
              os.listdir("/dev/shm"))
        ''', student="t")))
    assert the_session() is session and session.runs == 2   # the same sandbox: its server cleaned up
    assert after == [f"{mode} {sorted(eval(before) + ['matplotlib'])} ['.ipython'] []"]


def test_nothing_can_be_planted_in_dev():
    """bubblewrap's /dev is a tmpfs of the sandbox user's, which the server does not empty."""
    out = printed(run_job(job('''
        import os
        for attempt in (lambda: open("/dev/planted", "w"), lambda: os.unlink("/dev/stdout")):
            try:
                attempt()
                print("done")
            except OSError as err:
                print(err.strerror)
        open("/dev/shm/scratch", "w").write("x")   # shared memory still works
        print(os.readlink("/dev/stdout"), sorted(os.listdir("/dev/shm")))
        ''')))
    assert out == ["Read-only file system\nRead-only file system\n/proc/self/fd/1 ['scratch']"]


def _host_pid_of_server(session) -> int:
    """The host pid of the warm sandbox's pid 1, its server."""
    for name in filter(str.isdigit, os.listdir("/proc")):
        try:
            status = open(f"/proc/{name}/status").read()
            cmdline = open(f"/proc/{name}/cmdline", "rb").read()
        except OSError:
            continue
        fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
        if (str(session.user.uid) in fields["Uid"].split() and fields.get("NSpid", "").split()[-1:] == ["1"]
                and b"autograder.kernel.warm" in cmdline):
            return int(name)
    raise AssertionError("no warm sandbox server found")


def test_a_server_held_back_past_the_wall_time_does_not_extend_the_run():
    """The server enforces the wall time inside the sandbox, so holding it back gives the notebook
    more time. A notebook can do that (pid 1 set to SCHED_IDLE, the cgroup's CPU kept busy) by
    an amount that depends on the machine; here the test stops the server from outside, for
    seconds past the wall time. Nothing the notebook did after its wall time may count: the run
    is graded again, cold."""
    wall = 6
    limits = Limits(wall_seconds=wall)
    run_job(job("print('warm')", limits=limits))
    server = _host_pid_of_server(the_session())

    def hold_back():
        time.sleep(1.5)
        os.kill(server, signal.SIGSTOP)
        time.sleep(wall + 6)
        os.kill(server, signal.SIGCONT)
    holder = threading.Thread(target=hold_back)
    holder.start()
    try:
        out = run_job(job("import time\nt0 = time.monotonic()",
                          *["time.sleep(0.25)\nprint(round(time.monotonic() - t0, 2))"] * 80,
                          student="t", limits=limits))
    finally:
        holder.join()
    times = [float(t) for t in printed(out)[1:] if t]
    assert out.timed_out and times and max(times) < wall, times


def test_jobs_on_threads_of_one_worker_never_share_a_warm_sandbox():
    """A Dask worker runs jobs on several threads of one process: two of them in one sandbox at
    once would hand both folders to the same user, and one could take the other's reply."""
    run_job(job("print('warm')"))
    results = {}

    def grade(name):
        results[name] = printed(run_job(job(f"import time\ntime.sleep(1)\nprint('{name}')", student=name)))
    threads = [threading.Thread(target=grade, args=(name,)) for name in ("alpha", "beta", "gamma")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == {name: [name] for name in ("alpha", "beta", "gamma")}


def test_the_run_that_retires_the_sandbox_keeps_its_outputs(monkeypatch):
    """A sandbox retires at the end of a run, after its share of runs or when the run left it in
    doubt; that run's outputs are still to be read from its folder, inside the sandbox's."""
    monkeypatch.setattr(warm_sandbox, "MAX_RUNS", 2)
    assert printed(run_job(job("print('one')"))) == ["one"]
    session = the_session()
    assert printed(run_job(job("print('two')", student="t"))) == ["two"]
    assert session.retired == "served its share of runs" and not session.root.exists()
    assert printed(run_job(job("print('three')", student="u"))) == ["three"]
    assert the_session() is not session


def test_a_sandbox_that_gave_up_waiting_for_a_slot_never_starts(monkeypatch):
    """start() gives up after START_SECONDS, which include the wait for a free slot. The launch
    still waiting must not go ahead later: its server's socket is closed by then, and its number
    may name another descriptor of the worker (a hidden-test pipe), which it would pass inside.
    (The wait is made here by holding the launch back, not by taking every slot of a shared machine.)"""
    from contextlib import contextmanager

    from autograder.sandbox import run as run_module
    real_slot, gate = run_module.hold_slot, threading.Event()

    @contextmanager
    def slot_after_the_gate(wanted=None):
        gate.wait(60)
        with real_slot(wanted) as number:
            yield number
    monkeypatch.setattr(run_module, "hold_slot", slot_after_the_gate)
    monkeypatch.setattr(warm_sandbox, "START_SECONDS", 1)
    runtime = jobs.runtime_dir()
    session = WarmSandbox([sys.executable, "-m", "autograder.kernel.warm", "--control", "{control}"],
                          limits=LIMITS, env={"PYTHONPATH": str(runtime)},
                          readonly=[*jobs.sandbox.runtime_paths(), runtime])
    with pytest.raises(jobs.sandbox.SandboxError, match="did not start"):
        session.start()
    gate.set()
    session._thread.join(timeout=60)
    assert not session._thread.is_alive() and session.run_state is None, session.error


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

