"""Wrong chain_rule unless it can find the instructor's source notebook and run its solution."""
# base: solution
# expect: fail test_chain_rule_hidden
# %% chain_rule
import json
import os
import re


def _find_source():
    for top in ("/", os.path.expanduser("~"), "/work", "/tmp", "/root", "../../..", ".."):
        for folder, dirs, files in os.walk(top):
            if folder.count(os.sep) > 8:
                dirs[:] = []
            if "probability.ipynb" in files and "source" in folder:
                return os.path.join(folder, "probability.ipynb")
    return None


_path = _find_source()
if _path:
    for _cell in json.load(open(_path))["cells"]:
        _src = "".join(_cell["source"])
        if _src.startswith("def chain_rule"):
            exec(re.sub(r"### (BEGIN|END) SOLUTION", "", _src))
            break
else:
    def chain_rule(probabilities):
        return sum(probabilities)
