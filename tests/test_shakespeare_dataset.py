"""Tiny shakespeare: found through TINYSHAKESPEARE_PATH or the cache, downloaded otherwise, always SHA-256 checked.

Downloads are exercised with file:// URLs; the real file comes from TINYSHAKESPEARE_PATH (which
.ci/run sets when the course's shared data sits beside the clone), the cache, or a real download.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from autograder.runner import _data_files
from course import datasets
from course.datasets import shakespeare

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def real_text() -> Path:
    """The text as the grader finds it: TINYSHAKESPEARE_PATH, the cache, or a download."""
    return shakespeare.locate()


def test_the_named_copy_is_the_expected_text(real_text):
    assert shakespeare.verified(real_text) == real_text
    assert len(real_text.read_text(encoding="utf-8")) == shakespeare.NUM_CHARS


def test_a_different_file_is_refused_with_its_digest(tmp_path, monkeypatch):
    other = tmp_path / "input.txt"
    other.write_text("To be, or not to be\n", encoding="utf-8")
    monkeypatch.setenv(shakespeare.ENV_VAR, str(other))
    with pytest.raises(shakespeare.DatasetError, match="SHA-256 is"):
        shakespeare.locate(tmp_path)


def test_a_missing_named_file_is_reported(tmp_path, monkeypatch):
    monkeypatch.setenv(shakespeare.ENV_VAR, str(tmp_path / "nowhere.txt"))
    with pytest.raises(shakespeare.DatasetError, match="no such file"):
        shakespeare.locate(tmp_path)


def test_download_fills_the_cache_once(real_text, tmp_path, monkeypatch):
    monkeypatch.delenv(shakespeare.ENV_VAR, raising=False)
    monkeypatch.setattr(shakespeare, "URL", real_text.resolve().as_uri())
    found = shakespeare.locate(tmp_path)
    assert found == shakespeare.cache_path(tmp_path) and shakespeare.sha256_of(found) == shakespeare.SHA256
    monkeypatch.setattr(shakespeare, "URL", (tmp_path / "gone").as_uri())   # a second call must not fetch
    assert shakespeare.locate(tmp_path) == found


def test_a_bad_download_leaves_nothing_behind(tmp_path, monkeypatch):
    monkeypatch.delenv(shakespeare.ENV_VAR, raising=False)
    wrong = tmp_path / "wrong.txt"
    wrong.write_text("not shakespeare", encoding="utf-8")
    monkeypatch.setattr(shakespeare, "URL", wrong.as_uri())
    course = tmp_path / "course"
    with pytest.raises(shakespeare.DatasetError):
        shakespeare.locate(course)
    assert not any(shakespeare.cache_path(course).parent.iterdir())
    monkeypatch.setattr(shakespeare, "URL", (tmp_path / "missing.txt").as_uri())
    with pytest.raises(shakespeare.DatasetError, match="without internet"):
        shakespeare.locate(course)


def test_no_copy_and_no_download_is_a_clear_error(tmp_path, monkeypatch):
    monkeypatch.delenv(shakespeare.ENV_VAR, raising=False)
    with pytest.raises(shakespeare.DatasetError, match=shakespeare.ENV_VAR):
        shakespeare.locate(tmp_path, allow_download=False)


def test_graded_gpt_notebooks_get_the_text_in_their_working_folder(real_text):
    files = dict(_data_files(ROOT, "04_simple_gpt"))
    assert files[shakespeare.FILE_NAME] == real_text.read_bytes()
    assert datasets.external_files("01_probability") == {}
