"""Replaces status.json with a FIFO and executed.ipynb with a link to /dev/zero, then kills its kernel."""
# base: solution
# expect: fail test_posterior_curve_hidden
# keep: test_chain_rule_hidden test_total_probability_hidden test_bayes_theorem_hidden test_disease_posterior_hidden test_simulate_patients_hidden
# %% posterior_curve
import os
import signal

os.remove("status.json")
os.mkfifo("status.json")
os.symlink("/dev/zero", "executed.link")
os.replace("executed.link", "executed.ipynb")
os.mkfifo("status.json.tmp")
os.kill(os.getpid(), signal.SIGKILL)
