"""causality_probe builds the changed input with torch.where over positions and returns a tensor verdict (change[:start].max() > atol, start >= 1)."""
# base: solution
# expect: full
# %% causality_probe
def causality_probe(scores_of, trg, start, new_token, atol=1e-5):
    later = torch.arange(trg.size(1)) >= start
    changed = torch.where(later, torch.full_like(trg, new_token), trg)
    before, after = scores_of(trg), scores_of(changed)
    change = torch.max(torch.abs(after - before).flatten(start_dim=2).max(dim=2).values, dim=0).values
    return change, change[:start].max() > atol
