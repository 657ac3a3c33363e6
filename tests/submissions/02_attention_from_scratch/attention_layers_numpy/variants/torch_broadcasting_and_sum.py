"""Correct but slower: attention_step with broadcasting and sum instead of torch.bmm, and Tensor.softmax; the locked training cell then takes longer than the reference's."""
# base: solution
# expect: full
# %% attention_step
def attention_step(enc_hs, dec_hs):
    """Dot-product attention by broadcasting: every decoder step against every encoder step."""
    scores = (dec_hs.unsqueeze(2) * enc_hs.unsqueeze(1)).sum(-1)          # (N, T_dec, T_enc)
    weights = scores.softmax(dim=-1)
    context = (weights.unsqueeze(-1) * enc_hs.unsqueeze(1)).sum(2)       # (N, T_dec, H)
    return context, weights
