"""Every visible test passes; two small habits cost hidden points. decode tidies its result with .strip(), which also eats spaces and newlines that belong at either end of a decoded piece of text, and estimate_loss never switches the model to eval mode while it measures (harmless here with dropout 0, wrong for any model with dropout)."""
# base: solution
# expect: fail test_encode_decode_hidden test_estimate_loss_hidden
# keep: test_encode_decode_visible test_train_val_split_visible test_get_batch_visible test_estimate_loss_visible test_train_step_visible test_train_step_hidden test_training_hidden
# %% encode_decode
chars = sorted(set(text))
vocab_size = len(chars)
stoi = {ch: i for i, ch in enumerate(chars)}
itos = {i: ch for ch, i in stoi.items()}


def encode(s):
    return [stoi[c] for c in s]


def decode(ids):
    return "".join(itos[i] for i in ids).strip()   # tidy up the ends


print(repr("".join(chars)))
print(vocab_size)
print(encode("hii there"))
print(decode(encode("hii there")))
# %% estimate_loss
def estimate_loss(model, eval_iters):
    """Mean loss over eval_iters random batches of each split."""
    out = {}
    with torch.no_grad():
        for split in ["train", "val"]:
            losses = torch.zeros(eval_iters)
            for k in range(eval_iters):
                X, Y = get_batch(split)
                _, loss = model(X, Y)
                losses[k] = loss.item()
            out[split] = losses.mean()
    model.train()
    return out


losses = estimate_loss(model, eval_iters=5)
print(f"train loss {losses['train']:.4f}, val loss {losses['val']:.4f}")
