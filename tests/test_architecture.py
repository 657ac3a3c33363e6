"""The tree's promises, read from the import graph: imports go one way, and the kernel stands alone.

- `course` (authoring) may import `autograder`; `autograder` never imports `course`.
- `autograder.kernel` runs inside the sandbox: it imports nothing else of the project.
- Inside `autograder`, each package imports only the rooms below it (LAYERS).
The checks read the source with `ast`, so an import in a function body counts too.
"""
from __future__ import annotations

import ast
import textwrap
from pathlib import Path

import pytest

from autograder.grading.jobs import runtime_dir

ROOT = Path(__file__).resolve().parents[1]
PROJECT = ("autograder", "course")
# what each room of autograder may import of the project (itself always)
LAYERS = {
    "autograder.kernel": set(),
    "autograder.sandbox": set(),
    "autograder.cells": set(),
    "autograder.layout": set(),
    "autograder.datasets": set(),
    "autograder.nbgrader_app": set(),
    "autograder.trusted": {"autograder.cells"},
    "autograder.reports": {"autograder.cells", "autograder.trusted", "autograder.nbgrader_app", "autograder.layout"},
    "autograder.grading": {"autograder.cells", "autograder.trusted", "autograder.reports", "autograder.kernel",
                           "autograder.sandbox", "autograder.nbgrader_app", "autograder.layout",
                           "autograder.datasets"},
    "autograder.stock": {"autograder.grading", "autograder.reports", "autograder.layout", "autograder.nbgrader_app"},
}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported(source: str, module: str, is_package: bool) -> set[str]:
    """Every project module `module` imports, relative imports resolved."""
    found = set()
    package = module if is_package else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[:len(base) - (node.level - 1)]
                prefix = ".".join(base + ([node.module] if node.module else []))
            else:
                prefix = node.module or ""
            names = [prefix] + [f"{prefix}.{alias.name}" for alias in node.names]
        else:
            continue
        found |= {name for name in names if name.split(".")[0] in PROJECT}
    return found


def graph() -> dict[str, set[str]]:
    modules = {}
    for top in PROJECT:
        for path in sorted((ROOT / top).rglob("*.py")):
            name = module_name(path)
            modules[name] = imported(path.read_text(encoding="utf-8"), name, path.name == "__init__.py")
    return modules


def room(name: str) -> str | None:
    return next((r for r in sorted(LAYERS, key=len, reverse=True) if name == r or name.startswith(r + ".")), None)


def violations(modules: dict[str, set[str]]) -> list[str]:
    problems = []
    for name, targets in sorted(modules.items()):
        if not name.startswith("autograder"):
            continue
        mine = room(name)
        for target in sorted(targets):
            if target.split(".")[0] == "course":
                problems.append(f"{name} imports {target}: autograder never imports course")
                continue
            theirs = room(target)
            if target == "autograder" or theirs == mine:   # the root package, or the same room
                continue
            if theirs not in LAYERS.get(mine, set()):
                problems.append(f"{name} imports {target}: {mine} may import only {sorted(LAYERS.get(mine, ()))}")
    return problems


def test_autograder_never_imports_course_and_each_room_imports_only_below_it():
    assert violations(graph()) == []


def test_every_autograder_module_lives_in_a_room():
    homeless = [name for name in graph() if name.startswith("autograder.") and room(name) is None]
    assert homeless == []


def test_the_kernel_imports_nothing_else_of_the_project():
    modules = graph()
    kernel = {name: targets for name, targets in modules.items() if name.startswith("autograder.kernel")}
    assert kernel, "autograder/kernel/ is missing"
    assert {name: sorted(t for t in targets if not t.startswith("autograder.kernel"))
            for name, targets in kernel.items()} == {name: [] for name in kernel}


@pytest.mark.parametrize("where, line, expected", [
    ("autograder/trusted/scoring.py", "import course", "autograder never imports course"),
    ("autograder/grading/run.py", "from course.specs import load_spec", "autograder never imports course"),
    ("autograder/kernel/executor.py", "from ..trusted import score", "may import only []"),
    ("autograder/sandbox/run.py", "from autograder.grading import jobs", "may import only []"),
    ("autograder/trusted/compare.py", "from ..reports import feedback", "may import only ['autograder.cells']"),
    ("autograder/reports/feedback.py", "from ..grading.run import grade", "may import only"),
    ("autograder/grading/finish.py", "def later():\n    from autograder.stock import autograde", "may import only"),
])
def test_the_checks_catch_a_forbidden_import(where, line, expected):
    """The boundary tests can fail: add one forbidden import to a real module and they do."""
    modules = graph()
    path = ROOT / where
    name = module_name(path)
    modules[name] = imported(path.read_text(encoding="utf-8") + "\n" + textwrap.dedent(line) + "\n", name,
                             path.name == "__init__.py")
    assert any(expected in problem for problem in violations(modules)), violations(modules)


def test_the_sandbox_gets_the_kernel_package_whole_and_nothing_else():
    base = runtime_dir()
    copied = sorted(str(p.relative_to(base)) for p in base.rglob("*.py"))
    kernel = sorted(f"autograder/kernel/{p.name}" for p in (ROOT / "autograder" / "kernel").glob("*.py"))
    assert copied == ["autograder/__init__.py", *kernel]
    assert (base / "autograder" / "__init__.py").read_bytes() == b""


def test_every_module_imports_on_its_own():
    """No import cycle hides behind the order tests happen to import things in."""
    import subprocess
    import sys
    names = sorted(graph())
    script = ("import importlib, sys\nfailed = []\nfor name in sys.argv[1:]:\n"
              "    for loaded in [m for m in sys.modules if m.split('.')[0] in ('autograder', 'course')]:\n"
              "        del sys.modules[loaded]\n"
              "    try:\n        importlib.import_module(name)\n"
              "    except Exception as err:\n        failed.append(f'{name}: {type(err).__name__}: {err}')\n"
              "print('\\n'.join(failed))\n")
    done = subprocess.run([sys.executable, "-c", script, *names], capture_output=True, text=True, cwd=ROOT,
                          timeout=300)
    assert done.returncode == 0 and done.stdout.strip() == "", done.stdout + done.stderr[-2000:]
