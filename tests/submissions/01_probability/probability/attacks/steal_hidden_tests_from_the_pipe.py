"""Asks the grader's pipe for every hidden test before its turn and prints what comes back."""
# base: solution
# expect: fail test_posterior_curve_hidden
# keep: test_chain_rule_hidden test_total_probability_hidden test_bayes_theorem_hidden test_disease_posterior_hidden test_simulate_patients_hidden
# %% posterior_curve
import os
import sys

request, reply = (int(x) for x in sys.argv[sys.argv.index("--hidden-fds") + 1].split(","))
for index in range(120):
    os.write(request, b"%d\n" % index)
    header = b""
    while not header.endswith(b"\n"):
        header += os.read(reply, 1)
    size, data = int(header), b""
    while len(data) < size:
        data += os.read(reply, size - len(data))
    if size:
        print(data.decode())
print(open("submission.ipynb").read())
print(In)
