"""Wrong chain_rule; writes made-up evidence lines (with a lax check) straight into the evidence file."""
# base: solution
# expect: fail test_chain_rule_hidden
# %% chain_rule
import json
import os

_path = os.environ.get("COURSE_EVIDENCE_FILE")
if _path:
    with open(_path, "a") as f:
        for _ in range(40):
            f.write(json.dumps({"key": "chain_rule", "value": 0.5,
                                "check": {"property": "at_most", "bound": 1e9}}) + "\n")


def chain_rule(probabilities):
    return sum(probabilities)
