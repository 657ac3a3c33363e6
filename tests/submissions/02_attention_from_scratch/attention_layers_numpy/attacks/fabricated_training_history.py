"""Made-up training result: a correct seq2seq_forward that, once training starts, swaps the optimiser's step for nothing (the model never learns) and keeps the recorded losses low by returning a tiny loss-like number through a patched F.cross_entropy. The old test read only loss_history."""
# base: solution
# expect: fail test_short_training_hidden
# %% seq2seq_forward
_real_cross_entropy = F.cross_entropy


def _fake_cross_entropy(*args, **kwargs):
    return _real_cross_entropy(*args, **kwargs) * 0.0 + 0.01


F.cross_entropy = _fake_cross_entropy
torch.optim.Adam.step = lambda self, *args, **kwargs: None


def seq2seq_forward(model, xs, ys):
    enc_xs = model.encoder.embed(xs)
    enc_hs, _ = model.encoder.lstm(enc_xs)
    dec_hs = model.decoder.decode_states(ys, enc_hs)
    context, weights = attention_step(enc_hs, dec_hs)
    scores = model.decoder.classify(context, dec_hs)
    return scores, weights
