"""Correct answers, but the student deleted a hidden test cell: it is restored and graded."""
# base: solution
# expect: full
# transform: delete test_chain_rule_hidden
