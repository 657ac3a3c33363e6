"""causality_probe with a loop over positions, NumPy for the differences and a plain max per position."""
# base: solution
# expect: full
# %% causality_probe
def causality_probe(scores_of, trg, start, new_token, atol=1e-5):
    modified = trg.detach().clone()
    modified[:, start:] = new_token
    with torch.no_grad():
        original_scores = scores_of(trg).numpy()
        modified_scores = scores_of(modified).numpy()
    change = np.array([np.abs(modified_scores[:, t] - original_scores[:, t]).max()
                       for t in range(trg.shape[1])])
    looks_ahead = any(change[t] > atol for t in range(start))
    return change, looks_ahead
