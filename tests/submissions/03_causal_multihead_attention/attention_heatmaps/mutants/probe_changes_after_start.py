"""causality_probe replaces the tokens after position `start` (start + 1 on), so the token at `start` is never changed and a decoder that looks one token ahead goes unseen."""
# base: solution
# expect: fail test_causality_probe_visible test_causality_probe_hidden
# %% causality_probe
def causality_probe(scores_of, trg, start, new_token, atol=1e-5):
    changed = trg.clone()
    changed[:, start + 1:] = new_token
    with torch.no_grad():
        change = (scores_of(changed) - scores_of(trg)).abs().amax(dim=(0, 2))
    return change, bool((change[:start] > atol).any())
