"""seq2seq_forward hands the decoder state and the context to classify in the wrong order."""
# base: solution
# expect: fail test_seq2seq_forward_hidden
# %% seq2seq_forward
def seq2seq_forward(model, xs, ys):
    """Scores (N, T_dec, V) and attention weights (N, T_dec, T_enc) of an AttentionSeq2seq."""
    enc_xs = model.encoder.embed(xs)
    enc_hs, _ = model.encoder.lstm(enc_xs)
    dec_hs = model.decoder.decode_states(ys, enc_hs)
    context, weights = attention_step(enc_hs, dec_hs)
    scores = model.decoder.classify(dec_hs, context)
    return scores, weights
