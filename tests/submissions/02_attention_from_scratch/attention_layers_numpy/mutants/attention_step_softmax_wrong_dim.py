"""attention_step normalises the scores over the decoder axis (dim=1) instead of the encoder axis."""
# base: solution
# expect: fail test_attention_step_visible test_attention_step_hidden test_seq2seq_forward_visible test_seq2seq_forward_hidden test_short_training_hidden
# %% attention_step
def attention_step(enc_hs, dec_hs):
    """Dot-product attention of every decoder step over every encoder step."""
    scores = torch.bmm(dec_hs, enc_hs.transpose(1, 2))
    weights = torch.softmax(scores, dim=1)
    context = torch.bmm(weights, enc_hs)
    return context, weights
