"""The reference answers handed in on the English release: graded against the same gradebook as the Korean one."""
# base: solution
# lang: en
# expect: full
