"""causality_probe writes new_token into trg itself (changed = trg is no copy): both passes see the changed input, nothing ever moves, and the caller's trg is overwritten."""
# base: solution
# expect: fail test_causality_probe_visible test_causality_probe_hidden
# %% causality_probe
def causality_probe(scores_of, trg, start, new_token, atol=1e-5):
    changed = trg
    changed[:, start:] = new_token
    with torch.no_grad():
        before = scores_of(trg)
        after = scores_of(changed)
    change = (after - before).abs().amax(dim=(0, 2))
    return change, bool((change[:start] > atol).any())
