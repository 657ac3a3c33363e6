"""Correct answers; the student appended a line to a locked test cell: the original is graded."""
# base: solution
# expect: full
# transform: edit test_total_probability_visible
