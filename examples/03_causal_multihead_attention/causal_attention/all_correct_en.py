"""The reference answers handed in on the English release: graded against the same gradebook."""
# base: solution
# expect: full
# lang: en
