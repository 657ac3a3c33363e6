"""environment.yml (conda) and pyproject.toml must pin the same packages at the same versions."""
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]


def _pins(lines):
    pins = {}
    for line in lines:
        name, _, version = line.partition("==")
        assert version, f"{line!r} is not pinned with =="
        pins[name.strip().lower()] = version.strip()
    return pins


def pyproject_pins():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    return _pins(project["dependencies"])


def conda_pins():
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    pip_sections = [d["pip"] for d in env["dependencies"] if isinstance(d, dict) and "pip" in d]
    assert len(pip_sections) == 1, "environment.yml needs exactly one pip: section"
    return _pins(pip_sections[0])


def test_same_packages_and_versions():
    assert conda_pins() == pyproject_pins()


def test_torch_is_the_semester_pin():
    assert pyproject_pins()["torch"] == "2.13.0"
    assert pyproject_pins()["nbgrader"] == "0.9.6"


def test_python_versions_agree():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    conda_python = next(d for d in env["dependencies"] if isinstance(d, str) and d.startswith("python="))
    assert project["requires-python"] == ">=3.11"
    assert conda_python == "python=3.11"
