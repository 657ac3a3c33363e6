"""Date-format translation data: one calendar day written in many styles, paired with its ISO form.

    september 27, 1994      -> 1994-09-27
    9/27/94                 -> 1994-09-27
    1994년 9월 27일 화요일    -> 1994-09-27

Assignments 02 (attention seq2seq) and 03 train on it. Their notebooks must run without this
package (Colab, a student's laptop), so they read a TSV file generated from here and committed
next to them; tests/test_dates_dataset.py regenerates that file and fails on any difference.
Where the file is missing (a notebook opened on Colab comes alone), the notebook makes it again
with a verbatim copy of the region between the NOTEBOOK COPY lines below, which
course/standin.py puts into its setup_dates cell with the file's SHA-256 (`course check` reports
a stale copy). So that region must stay self-contained: only the standard library's random,
datetime and typing, no other name of this module. Regenerate the file with

    python -m course.datasets.dates source/02_attention_from_scratch/dates.tsv

Determinism: the only random numbers come from `random.Random(seed).random()`, the one generator
method whose sequence Python promises to keep across versions, and every name (month, weekday)
comes from the tables below, never from the machine's locale.
"""
from __future__ import annotations

import argparse
import random
from datetime import date, timedelta
from pathlib import Path
from typing import NamedTuple

# >>> NOTEBOOK COPY (course/standin.py copies this region into the setup_dates cells)
DEFAULT_SEED = 927
NUM_TRAIN = 6000
NUM_VALIDATION = 1000
# Two-digit years are read in a 100-year window, so every short year names one day:
# 50..99 -> 1950..1999, 00..49 -> 2000..2049.
FIRST_DAY = date(1950, 1, 1)
LAST_DAY = date(2049, 12, 31)
TSV_HEADER = ("split", "style", "source", "target")

MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august",
          "september", "october", "november", "december")
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")  # date.weekday()
KO_WEEKDAYS = ("월요일", "화요일", "수요일", "목요일", "금요일", "토요일", "일요일")


def _month(day: date) -> str:
    return MONTHS[day.month - 1]


def _weekday(day: date) -> str:
    return WEEKDAYS[day.weekday()]


# Each style is a function of the day; the name says what it looks like for 1994-09-27.
STYLES = {
    "september 27, 1994": lambda d: f"{_month(d)} {d.day}, {d.year}",
    "September 27, 1994": lambda d: f"{_month(d).title()} {d.day}, {d.year}",
    "SEPTEMBER 27, 1994": lambda d: f"{_month(d).upper()} {d.day}, {d.year}",
    "Sep 27, 1994": lambda d: f"{_month(d)[:3].title()} {d.day}, {d.year}",
    "27 september 1994": lambda d: f"{d.day} {_month(d)} {d.year}",
    "tuesday, september 27, 1994": lambda d: f"{_weekday(d)}, {_month(d)} {d.day}, {d.year}",
    "TUESDAY, SEPTEMBER 27, 1994": lambda d: f"{_weekday(d).upper()}, {_month(d).upper()} {d.day}, {d.year}",
    "9/27/94": lambda d: f"{d.month}/{d.day}/{d.year % 100:02d}",
    "09/27/1994": lambda d: f"{d.month:02d}/{d.day:02d}/{d.year}",
    "27.09.1994": lambda d: f"{d.day:02d}.{d.month:02d}.{d.year}",
    "1994. 9. 27.": lambda d: f"{d.year}. {d.month}. {d.day}.",
    "1994년 9월 27일": lambda d: f"{d.year}년 {d.month}월 {d.day}일",
    "1994년 9월 27일 화요일": lambda d: f"{d.year}년 {d.month}월 {d.day}일 {KO_WEEKDAYS[d.weekday()]}",
}
STYLE_NAMES = tuple(STYLES)


class DateExample(NamedTuple):
    split: str      # "train" or "validation"
    style: str      # a key of STYLES
    source: str     # the day written in that style
    target: str     # the day in ISO 8601, YYYY-MM-DD


def format_date(day: date, style: str) -> str:
    """`day` written in `style` (a key of STYLES)."""
    if style not in STYLES:
        raise ValueError(f"unknown date style {style!r}; choose one of {', '.join(STYLE_NAMES)}")
    if not FIRST_DAY <= day <= LAST_DAY:
        raise ValueError(f"{day.isoformat()} lies outside {FIRST_DAY.isoformat()}..{LAST_DAY.isoformat()}, "
                         "where two-digit years are unambiguous")
    return STYLES[style](day)


def generate(num_train: int = NUM_TRAIN, num_validation: int = NUM_VALIDATION,
             seed: int = DEFAULT_SEED) -> list[DateExample]:
    """Validation examples first, then training ones; no calendar day appears in both splits.

    Every example is a distinct day drawn uniformly from FIRST_DAY..LAST_DAY, written in a style
    drawn uniformly from STYLES, so the validation set measures translation of unseen days.
    """
    span = (LAST_DAY - FIRST_DAY).days + 1
    total = num_train + num_validation
    if num_train < 0 or num_validation < 0 or total > span // 2:
        raise ValueError(f"need 0 <= examples and at most {span // 2} in total, "
                         f"got {num_train} train + {num_validation} validation")
    rng = random.Random(seed)

    def below(n: int) -> int:
        return min(int(rng.random() * n), n - 1)

    seen: set[int] = set()
    examples = []
    while len(examples) < total:
        offset = below(span)
        if offset in seen:
            continue
        seen.add(offset)
        day = FIRST_DAY + timedelta(days=offset)
        style = STYLE_NAMES[below(len(STYLE_NAMES))]
        split = "validation" if len(examples) < num_validation else "train"
        examples.append(DateExample(split, style, format_date(day, style), day.isoformat()))
    return examples


def to_tsv(examples: list[DateExample]) -> str:
    lines = ["\t".join(TSV_HEADER)] + ["\t".join(example) for example in examples]
    return "\n".join(lines) + "\n"


# <<< NOTEBOOK COPY


def read_tsv(path: Path) -> list[DateExample]:
    lines = Path(path).read_text(encoding="utf-8").splitlines()
    if not lines or tuple(lines[0].split("\t")) != TSV_HEADER:
        raise ValueError(f"{path}: the first line must be the header {' / '.join(TSV_HEADER)}")
    return [DateExample(*line.split("\t")) for line in lines[1:]]


def write_tsv(path: Path, num_train: int = NUM_TRAIN, num_validation: int = NUM_VALIDATION,
              seed: int = DEFAULT_SEED) -> Path:
    path = Path(path)
    path.write_text(to_tsv(generate(num_train, num_validation, seed)), encoding="utf-8")
    return path


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("output", type=Path, help="the TSV file to write")
    parser.add_argument("--num-train", type=int, default=NUM_TRAIN)
    parser.add_argument("--num-validation", type=int, default=NUM_VALIDATION)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    args = parser.parse_args(argv)
    write_tsv(args.output, args.num_train, args.num_validation, args.seed)
    print(f"wrote {args.num_train} train + {args.num_validation} validation examples to {args.output}")


if __name__ == "__main__":
    main()
