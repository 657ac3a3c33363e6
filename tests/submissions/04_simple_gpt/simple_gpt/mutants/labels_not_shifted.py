"""The original code's mistake: the labels are the inputs themselves, not shifted by one."""
# base: solution
# expect: fail test_labels_visible test_labels_hidden
# %% make_inputs_and_labels
def make_inputs_and_labels(sequences):
    """Windows of T + 1 tokens -> (inputs, labels), each (N, T): the labels are the inputs shifted by one."""
    inputs = sequences[:, :-1]
    labels = sequences[:, :-1]
    return inputs, labels
