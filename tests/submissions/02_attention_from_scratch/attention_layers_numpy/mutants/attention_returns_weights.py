"""Attention.forward returns the attention weights instead of the context vector."""
# base: solution
# expect: fail test_attention_visible test_attention_forward_hidden test_time_attention_visible test_time_attention_forward_hidden test_time_attention_backward_hidden
# %% Attention
class Attention:
    """One decoder step: weights from AttentionWeight, context vector from WeightSum; no parameters."""

    def __init__(self):
        self.params, self.grads = [], []
        self.attention_weight_layer = AttentionWeight()
        self.weight_sum_layer = WeightSum()
        self.attention_weight = None

    def forward(self, hs, h):
        """hs: (N, T, H), h: (N, H) -> context vector (N, H); keeps the weights in self.attention_weight."""
        a = self.attention_weight_layer.forward(hs, h)
        out = self.weight_sum_layer.forward(hs, a)
        self.attention_weight = a
        return a

    def backward(self, dout):
        """dout: (N, H) -> (dhs, dh) of shapes (N, T, H) and (N, H)."""
        dhs0, da = self.weight_sum_layer.backward(dout)
        dhs1, dh = self.attention_weight_layer.backward(da)
        dhs = dhs0 + dhs1
        return dhs, dh
