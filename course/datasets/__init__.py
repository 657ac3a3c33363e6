"""Generators of the course's committed data files (dates.py writes the dates.tsv copies).

Downloaded data sets are declared, not coded: see autograder/datasets.py and an assignment's
source/<assignment>/datasets.toml.
"""
