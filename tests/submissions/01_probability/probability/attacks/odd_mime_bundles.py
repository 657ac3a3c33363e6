"""Display outputs whose MIME values are numbers, dicts, script, and an image that is an HTML attribute."""
# base: solution
# expect: fail test_posterior_curve_hidden
# keep: test_chain_rule_hidden test_total_probability_hidden test_bayes_theorem_hidden test_disease_posterior_hidden test_simulate_patients_hidden
# %% posterior_curve
from IPython.display import display

display({"image/png": 5, "text/plain": ["a", 1], "text/html": {"x": 1}}, raw=True)
display({"image/png": "x' onerror='alert(\"png-xss\")"}, raw=True)
display({"image/jpeg": ["not", {"base64": True}]}, raw=True)
display({"application/javascript": "alert('js-xss')",
         "text/html": "<script>alert('html-xss')</script><img src=x onerror=alert('img-xss')>"}, raw=True)
display({"image/svg+xml": "<svg onload=alert('svg-xss')></svg>"}, raw=True)
