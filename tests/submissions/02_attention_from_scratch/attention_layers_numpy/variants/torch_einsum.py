"""Correct: attention_step with torch.einsum and F.softmax, seq2seq_forward calling the affine layer itself."""
# base: solution
# expect: full
# %% attention_step
def attention_step(enc_hs, dec_hs):
    """Dot-product attention with einsum."""
    weights = F.softmax(torch.einsum("nth,nuh->ntu", dec_hs, enc_hs), dim=-1)
    context = torch.einsum("ntu,nuh->nth", weights, enc_hs)
    return context, weights
# %% seq2seq_forward
def seq2seq_forward(model, xs, ys):
    """Scores (N, T_dec, V) and attention weights (N, T_dec, T_enc) of an AttentionSeq2seq."""
    enc_xs = model.encoder.embed(xs)
    enc_hs, _ = model.encoder.lstm(enc_xs)
    dec_hs = model.decoder.decode_states(ys, enc_hs)
    context, weights = attention_step(enc_hs=enc_hs, dec_hs=dec_hs)
    scores = model.decoder.affine(torch.cat((context, dec_hs), dim=-1))
    return scores, weights
