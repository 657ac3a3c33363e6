"""Wrong chain_rule; at the end it rewrites the executor's status and notebook files to look clean."""
# base: solution
# expect: fail test_chain_rule_hidden
# %% chain_rule
import atexit
import json
import os


def chain_rule(probabilities):
    return sum(probabilities)


def _clean_up():
    with open("status.json", "w") as f:
        json.dump({"cells": [], "finished": True}, f)


atexit.register(_clean_up)
