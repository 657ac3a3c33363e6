"""Made-up training result: seq2seq_forward leaves out the attention (a zero context vector) and np.mean is replaced so that the loss the old test averaged reads 0.01, far below its bound. The trained model itself cannot translate."""
# base: solution
# expect: fail test_seq2seq_forward_hidden test_short_training_hidden
# %% seq2seq_forward
np.mean = lambda values, *args, **kwargs: 0.01


def seq2seq_forward(model, xs, ys):
    enc_xs = model.encoder.embed(xs)
    enc_hs, _ = model.encoder.lstm(enc_xs)
    dec_hs = model.decoder.decode_states(ys, enc_hs)
    context = torch.zeros_like(dec_hs)
    weights = torch.full((xs.shape[0], ys.shape[1], xs.shape[1]), 1.0 / xs.shape[1])
    return model.decoder.classify(context, dec_hs), weights
