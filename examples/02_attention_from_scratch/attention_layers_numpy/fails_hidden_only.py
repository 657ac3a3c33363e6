"""Every layer is right going forward and every visible test passes, but TimeAttention.backward keeps only the last decoder step's gradient for the encoder states (dhs_enc = dhs where it must add up over the steps). The hidden backward test catches it; the gradient check (numerical_gradient), the seq2seq part and its training keep their points."""
# base: solution
# expect: fail test_time_attention_backward_hidden
# keep: test_time_attention_visible test_time_attention_forward_hidden test_attention_backward_hidden test_seq2seq_forward_hidden test_short_training_hidden test_numerical_gradient_visible test_numerical_gradient_hidden test_numerical_gradient_views_hidden
# %% TimeAttention
class TimeAttention:
    """Attention over the encoder states at every decoder step, one Attention layer per step."""

    def __init__(self):
        self.params, self.grads = [], []
        self.layers = None
        self.attention_weights = None

    def forward(self, hs_enc, hs_dec):
        """hs_enc: (N, T_enc, H), hs_dec: (N, T_dec, H) -> out: (N, T_dec, H)."""
        N, T, H = hs_dec.shape
        out = np.empty_like(hs_dec)
        self.layers, self.attention_weights = [], []
        for t in range(T):
            step = Attention()
            out[:, t, :] = step.forward(hs_enc, hs_dec[:, t, :])
            self.layers.append(step)
            self.attention_weights.append(step.attention_weight)
        return out

    def backward(self, dout):
        """dout: (N, T_dec, H) -> (dhs_enc, dhs_dec)."""
        N, T, H = dout.shape
        dhs_dec = np.empty_like(dout)
        for t in range(T):
            dhs, dh = self.layers[t].backward(dout[:, t, :])
            dhs_enc = dhs              # every step overwrites the previous steps' gradient
            dhs_dec[:, t, :] = dh
        return dhs_enc, dhs_dec
