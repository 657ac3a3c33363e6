"""Correct answers; the metadata of a test cell claims 100 points: the gradebook's 4 count."""
# base: solution
# expect: full
# transform: points test_chain_rule_hidden
