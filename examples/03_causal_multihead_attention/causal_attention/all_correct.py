"""The reference answers, handed in on the Korean release."""
# base: solution
# expect: full
