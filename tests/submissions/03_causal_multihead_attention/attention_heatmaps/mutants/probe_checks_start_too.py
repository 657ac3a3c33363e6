"""causality_probe counts position `start` itself among the earlier ones (change[:start + 1]): the first changed token always moves its own scores, so every decoder looks ahead."""
# base: solution
# expect: fail test_causality_probe_visible test_causality_probe_hidden
# %% causality_probe
def causality_probe(scores_of, trg, start, new_token, atol=1e-5):
    changed = trg.clone()
    changed[:, start:] = new_token
    with torch.no_grad():
        change = (scores_of(changed) - scores_of(trg)).abs().amax(dim=(0, 2))
    return change, bool((change[:start + 1] > atol).any())
