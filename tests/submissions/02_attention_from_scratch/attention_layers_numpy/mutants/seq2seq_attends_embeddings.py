"""seq2seq_forward attends over the encoder's input embeddings instead of its LSTM hidden states."""
# base: solution
# expect: fail test_seq2seq_forward_visible test_seq2seq_forward_hidden test_short_training_hidden
# %% seq2seq_forward
def seq2seq_forward(model, xs, ys):
    """Scores (N, T_dec, V) and attention weights (N, T_dec, T_enc) of an AttentionSeq2seq."""
    enc_xs = model.encoder.embed(xs)
    enc_hs, _ = model.encoder.lstm(enc_xs)
    dec_hs = model.decoder.decode_states(ys, enc_hs)
    context, weights = attention_step(enc_xs, dec_hs)
    scores = model.decoder.classify(context, dec_hs)
    return scores, weights
