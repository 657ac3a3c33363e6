"""The date-translation data set: one generator (course/datasets/dates.py), committed copies in sync with it."""
from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from course.datasets import dates

ROOT = Path(__file__).resolve().parents[1]
# every committed copy of the data set; a notebook reads the one in its own folder
COMMITTED = [ROOT / "source" / "02_attention_from_scratch" / "dates.tsv",
             ROOT / "source" / "03_causal_multihead_attention" / "dates.tsv"]


@pytest.mark.parametrize("path", COMMITTED, ids=lambda p: str(p.relative_to(ROOT)))
def test_committed_copy_matches_the_generator(path):
    assert path.exists(), f"{path} is missing: python -m course.datasets.dates {path.relative_to(ROOT)}"
    expected = dates.to_tsv(dates.generate())
    found = path.read_text(encoding="utf-8")
    if found != expected:
        lines = list(zip(found.splitlines(), expected.splitlines()))
        first = next((i for i, (a, b) in enumerate(lines, 1) if a != b), len(lines) + 1)
        pytest.fail(f"{path.relative_to(ROOT)} differs from course/datasets/dates.py from line {first} on; "
                    f"regenerate it with: python -m course.datasets.dates {path.relative_to(ROOT)}")


def test_generation_is_deterministic_and_seeded():
    assert dates.generate(50, 10) == dates.generate(50, 10)
    assert dates.generate(50, 10, seed=1) != dates.generate(50, 10, seed=2)


def test_targets_are_the_iso_form_of_the_source():
    for example in dates.generate():
        day = date.fromisoformat(example.target)
        assert dates.FIRST_DAY <= day <= dates.LAST_DAY
        assert dates.format_date(day, example.style) == example.source


def test_splits_are_fixed_and_share_no_day():
    examples = dates.generate()
    train = {e.target for e in examples if e.split == "train"}
    validation = {e.target for e in examples if e.split == "validation"}
    assert len(train) == dates.NUM_TRAIN and len(validation) == dates.NUM_VALIDATION
    assert not train & validation, "a validation day also appears in the training set"
    assert [e.split for e in examples] == ["validation"] * dates.NUM_VALIDATION + ["train"] * dates.NUM_TRAIN


def test_every_style_appears_in_both_splits():
    examples = dates.generate()
    for split in ("train", "validation"):
        assert {e.style for e in examples if e.split == split} == set(dates.STYLE_NAMES)


def test_every_style_name_is_its_own_rendering_of_the_example_day():
    for style in dates.STYLE_NAMES:
        assert dates.format_date(date(1994, 9, 27), style) == style


def test_two_digit_years_are_unambiguous_in_the_window():
    assert dates.format_date(date(2005, 3, 1), "9/27/94") == "3/1/05"
    assert dates.format_date(date(1950, 1, 1), "9/27/94") == "1/1/50"
    with pytest.raises(ValueError, match="outside"):
        dates.format_date(date(2050, 1, 1), "9/27/94")


def test_unknown_style_and_impossible_sizes_are_rejected():
    with pytest.raises(ValueError, match="unknown date style"):
        dates.format_date(date(1994, 9, 27), "27/9/1994")
    with pytest.raises(ValueError, match="at most"):
        dates.generate(num_train=40_000, num_validation=0)


def test_tsv_round_trip(tmp_path):
    path = dates.write_tsv(tmp_path / "dates.tsv", num_train=30, num_validation=5, seed=3)
    assert dates.read_tsv(path) == dates.generate(30, 5, seed=3)
    assert "\t" not in "".join(e.source for e in dates.generate())
