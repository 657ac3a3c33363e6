"""Declared data sets: found through their variable or the cache, downloaded otherwise, always SHA-256 checked.

The one declared today is tiny shakespeare (source/04_simple_gpt/datasets.toml). Downloads are
exercised with file:// URLs; the real file comes from TINYSHAKESPEARE_PATH (which .ci/run sets when
the course's shared data sits beside the clone), the cache, or a real download.
"""
from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from autograder import datasets
from autograder.grading.plan import data_files
from autograder.layout import release_dir

ROOT = Path(__file__).resolve().parents[1]
NUM_CHARS = 1_115_394   # the length of tiny shakespeare, as the lecture states it


@pytest.fixture
def shakespeare() -> datasets.Dataset:
    [declared] = datasets.declared(ROOT, "04_simple_gpt")
    return declared


@pytest.fixture
def real_text(shakespeare) -> Path:
    """The text as the grader finds it: TINYSHAKESPEARE_PATH, the cache, or a download."""
    return datasets.locate(shakespeare)


def test_the_manifest_declares_tiny_shakespeare(shakespeare):
    assert (shakespeare.id, shakespeare.file, shakespeare.env) == ("tinyshakespeare", "input.txt",
                                                                  "TINYSHAKESPEARE_PATH")
    assert datasets.declared(ROOT, "01_probability") == []


def test_the_named_copy_is_the_expected_text(shakespeare, real_text):
    assert datasets.verified(shakespeare, real_text) == real_text
    assert len(real_text.read_text(encoding="utf-8")) == NUM_CHARS


def test_a_different_file_is_refused_with_its_digest(shakespeare, tmp_path, monkeypatch):
    other = tmp_path / "input.txt"
    other.write_text("To be, or not to be\n", encoding="utf-8")
    monkeypatch.setenv(shakespeare.env, str(other))
    with pytest.raises(datasets.DatasetError, match="SHA-256 is"):
        datasets.locate(shakespeare, tmp_path)


def test_a_missing_named_file_is_reported(shakespeare, tmp_path, monkeypatch):
    monkeypatch.setenv(shakespeare.env, str(tmp_path / "nowhere.txt"))
    with pytest.raises(datasets.DatasetError, match="no such file"):
        datasets.locate(shakespeare, tmp_path)


def test_download_fills_the_cache_once(shakespeare, real_text, tmp_path, monkeypatch):
    monkeypatch.delenv(shakespeare.env, raising=False)
    local = dataclasses.replace(shakespeare, url=real_text.resolve().as_uri())
    found = datasets.locate(local, tmp_path)
    assert found == local.cache_path(tmp_path) and datasets.sha256_of(found) == shakespeare.sha256
    gone = dataclasses.replace(shakespeare, url=(tmp_path / "gone").as_uri())   # a second call must not fetch
    assert datasets.locate(gone, tmp_path) == found


def test_a_bad_download_leaves_nothing_behind(shakespeare, tmp_path, monkeypatch):
    monkeypatch.delenv(shakespeare.env, raising=False)
    wrong = tmp_path / "wrong.txt"
    wrong.write_text("not shakespeare", encoding="utf-8")
    cache = tmp_path / "cache"
    with pytest.raises(datasets.DatasetError):
        datasets.locate(dataclasses.replace(shakespeare, url=wrong.as_uri()), cache)
    assert not any(shakespeare.cache_path(cache).parent.iterdir())
    with pytest.raises(datasets.DatasetError, match="without internet"):
        datasets.locate(dataclasses.replace(shakespeare, url=(tmp_path / "missing.txt").as_uri()), cache)


def test_no_copy_and_no_download_is_a_clear_error(shakespeare, tmp_path, monkeypatch):
    monkeypatch.delenv(shakespeare.env, raising=False)
    with pytest.raises(datasets.DatasetError, match=shakespeare.env):
        datasets.locate(shakespeare, tmp_path, allow_download=False)


def test_a_broken_manifest_is_a_clear_error(tmp_path):
    (tmp_path / "source" / "x").mkdir(parents=True)
    (tmp_path / "source" / "x" / datasets.MANIFEST).write_text('[[dataset]]\nid = "a"\n', encoding="utf-8")
    with pytest.raises(datasets.DatasetError, match="needs id, file, url, sha256"):
        datasets.declared(tmp_path, "x")
    (tmp_path / "source" / "x" / datasets.MANIFEST).write_text(
        '[[dataset]]\nid = "a"\nfile = "../up.txt"\nurl = "u"\nsha256 = "s"\n', encoding="utf-8")
    with pytest.raises(datasets.DatasetError, match="plain file name"):
        datasets.declared(tmp_path, "x")


def test_a_new_data_set_is_one_manifest_entry(real_text, tmp_path, monkeypatch):
    """Adding a data set needs no code: a course whose assignment declares a file gets it graded."""
    folder = tmp_path / "source" / "99_new"
    folder.mkdir(parents=True)
    (folder / "notes.txt").write_text("committed beside the notebook", encoding="utf-8")
    (folder / datasets.MANIFEST).write_text(
        f'[[dataset]]\nid = "corpus"\nfile = "corpus.txt"\nurl = "{real_text.resolve().as_uri()}"\n'
        f'sha256 = "{datasets.sha256_of(real_text)}"\n', encoding="utf-8")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    files = dict(data_files(tmp_path, "99_new"))
    assert files == {"corpus.txt": real_text.read_bytes(), "notes.txt": b"committed beside the notebook"}


def test_graded_gpt_notebooks_get_the_text_in_their_working_folder(real_text):
    files = dict(data_files(ROOT, "04_simple_gpt"))
    assert files["input.txt"] == real_text.read_bytes() and datasets.MANIFEST not in files


def test_the_manifest_is_not_released_to_students():
    for lang in ("ko", "en"):
        assert not (release_dir(ROOT, lang) / "04_simple_gpt" / datasets.MANIFEST).exists()
