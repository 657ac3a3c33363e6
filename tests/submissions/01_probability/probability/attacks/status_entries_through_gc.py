"""The last solution cell finds the executor's status through gc and adds entries without their fields."""
# base: solution
# expect: fail test_posterior_curve_hidden
# keep: test_chain_rule_hidden test_total_probability_hidden test_bayes_theorem_hidden test_disease_posterior_hidden test_simulate_patients_hidden
# %% posterior_curve
import gc

for obj in gc.get_objects():
    if isinstance(obj, dict) and "cells" in obj and "finished" in obj and "stopped_at" in obj:
        obj["cells"].append({"bogus": True})
        obj["cells"].append({"index": "three", "status": {"a": 1}, "evidence_start": "x"})
        obj["stopped_at"] = {"not": "a number"}
        obj["stop_reason"] = ["not", "text"]
