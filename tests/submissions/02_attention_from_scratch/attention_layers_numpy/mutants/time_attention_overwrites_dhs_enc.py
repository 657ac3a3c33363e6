"""TimeAttention.backward assigns dhs_enc = dhs instead of accumulating it over the decoder steps."""
# base: solution
# expect: fail test_time_attention_backward_hidden
# %% TimeAttention
class TimeAttention:
    """Attention for every decoder step: one Attention layer per step; no parameters."""

    def __init__(self):
        self.params, self.grads = [], []
        self.layers = None
        self.attention_weights = None

    def forward(self, hs_enc, hs_dec):
        """hs_enc: (N, T_enc, H), hs_dec: (N, T_dec, H) -> out: (N, T_dec, H), one context vector per step."""
        N, T, H = hs_dec.shape
        out = np.empty_like(hs_dec)
        self.layers = []
        self.attention_weights = []
        for t in range(T):
            layer = Attention()
            out[:, t, :] = layer.forward(hs_enc, hs_dec[:, t, :])
            self.layers.append(layer)
            self.attention_weights.append(layer.attention_weight)
        return out

    def backward(self, dout):
        """dout: (N, T_dec, H) -> (dhs_enc, dhs_dec) of shapes (N, T_enc, H) and (N, T_dec, H)."""
        N, T, H = dout.shape
        dhs_enc = 0
        dhs_dec = np.empty_like(dout)
        for t in range(T):
            layer = self.layers[t]
            dhs, dh = layer.backward(dout[:, t, :])
            dhs_enc = dhs
            dhs_dec[:, t, :] = dh
        return dhs_enc, dhs_dec
