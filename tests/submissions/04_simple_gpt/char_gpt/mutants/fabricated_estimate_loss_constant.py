"""Fabricated evaluation: estimate_loss returns a plausible 4.2 for both splits (the old visible check only asked for numbers near ln 65) and restores the training mode."""
# base: solution
# expect: fail test_estimate_loss_visible test_estimate_loss_hidden
# %% estimate_loss
def estimate_loss(model, eval_iters):
    """Mean loss over eval_iters random batches of each split, in eval mode and without gradients."""
    # 힌트 / Hint: out = {}; model.eval(); with torch.no_grad(): for split in ['train', 'val']: ...; model.train()
    out = {}
    model.eval()
    with torch.no_grad():   # no graph while evaluating
        for split in ["train", "val"]:
            losses = torch.zeros(eval_iters)
            for k in range(eval_iters):
                X, Y = get_batch(split)
                logits, loss = model(X, Y)
                losses[k] = loss.item()
            out[split] = torch.tensor(4.2)
    model.train()
    return out


losses = estimate_loss(model, eval_iters=5)
print(f"train loss {losses['train']:.4f}, val loss {losses['val']:.4f}")
