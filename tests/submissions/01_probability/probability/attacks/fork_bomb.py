"""Correct Q1.1; then a fork bomb in the law_of_total_probability cell."""
# base: solution
# expect: fail test_total_probability_hidden
# keep: test_chain_rule_hidden
# %% law_of_total_probability
import os

children = 0
try:
    while children < 100000:
        if os.fork() == 0:
            import time
            time.sleep(120)
            os._exit(0)
        children += 1
except OSError:
    pass
