"""Wrong chain_rule unless another student's submitted notebook can be found and copied."""
# base: solution
# expect: fail test_chain_rule_hidden
# %% chain_rule
import json
import os

_found = None
for top in ("/", "/work", "/tmp", "/root", "../../.."):
    for folder, dirs, files in os.walk(top):
        if folder.count(os.sep) > 8:
            dirs[:] = []
        if "submitted" in folder and "probability.ipynb" in files:
            _found = os.path.join(folder, "probability.ipynb")
            break
    if _found:
        break
if _found:
    for _cell in json.load(open(_found))["cells"]:
        _src = "".join(_cell["source"])
        if _src.startswith("def chain_rule") and "NotImplementedError" not in _src:
            exec(_src)
            break
if "chain_rule" not in globals():
    def chain_rule(probabilities):
        return sum(probabilities)
