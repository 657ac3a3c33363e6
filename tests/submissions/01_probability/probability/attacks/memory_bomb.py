"""Correct chain_rule; the law_of_total_probability cell tries to take 64 GB of memory."""
# base: solution
# expect: fail test_total_probability_hidden
# keep: test_chain_rule_hidden
# %% law_of_total_probability
hog = []
while True:
    hog.append(bytearray(1 << 30))
