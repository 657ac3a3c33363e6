"""causality_probe calls any change at all a look-ahead (change > 0), ignoring atol: a leak far below the tolerance counts."""
# base: solution
# expect: fail test_causality_probe_hidden
# keep: test_causality_probe_visible
# %% causality_probe
def causality_probe(scores_of, trg, start, new_token, atol=1e-5):
    changed = trg.clone()
    changed[:, start:] = new_token
    with torch.no_grad():
        change = (scores_of(changed) - scores_of(trg)).abs().amax(dim=(0, 2))
    return change, bool((change[:start] > 0).any())
