"""The reference solution in the English release."""
# base: solution
# lang: en
# expect: full
