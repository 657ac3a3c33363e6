"""The reference solution, answers included."""
# base: solution
# expect: full
