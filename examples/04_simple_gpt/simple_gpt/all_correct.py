"""The reference solution as it stands."""
# base: solution
# expect: full
