"""Made-up attention_step: uniform weights (rows sum to 1, as the old properties of the attention_step and seq2seq_forward visible tests asked) and the mean encoder state as context."""
# base: solution
# expect: fail test_attention_step_visible test_attention_step_hidden test_seq2seq_forward_visible test_seq2seq_forward_hidden
# %% attention_step
def attention_step(enc_hs, dec_hs):
    N, T_enc, H = enc_hs.shape
    T_dec = dec_hs.shape[1]
    weights = torch.full((N, T_dec, T_enc), 1.0 / T_enc, dtype=enc_hs.dtype)
    context = torch.bmm(weights, enc_hs)
    return context, weights
