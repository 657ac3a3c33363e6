"""The reference answers handed in on the English release: grades against the same gradebook as Korean."""
# base: solution
# lang: en
# expect: full
