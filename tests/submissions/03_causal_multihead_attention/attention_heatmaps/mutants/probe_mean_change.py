"""causality_probe averages |difference| over the batch and the vocabulary instead of taking the largest: the verdicts are right but the measured change is not."""
# base: solution
# expect: fail test_causality_probe_visible test_causality_probe_hidden
# %% causality_probe
def causality_probe(scores_of, trg, start, new_token, atol=1e-5):
    changed = trg.clone()
    changed[:, start:] = new_token
    with torch.no_grad():
        change = (scores_of(changed) - scores_of(trg)).abs().mean(dim=(0, 2))
    return change, bool((change[:start] > atol).any())
