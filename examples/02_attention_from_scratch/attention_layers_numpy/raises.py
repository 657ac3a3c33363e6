"""AttentionWeight.forward repeats h over time without reshaping it to (N, 1, H) first, so hs * hr fails with a broadcasting ValueError in the visible test, and again in every later layer built on it (Attention, TimeAttention). Softmax and WeightSum before it, numerical_gradient (tested on losses of its own) and the PyTorch seq2seq after it are right and keep their points."""
# base: solution
# expect: fail test_attention_weight_visible test_attention_weight_forward_hidden test_attention_weight_backward_hidden test_attention_visible test_attention_forward_hidden test_time_attention_visible
# keep: test_softmax_visible test_softmax_hidden test_weightsum_visible test_weightsum_forward_hidden test_weightsum_backward_hidden test_attention_step_visible test_attention_step_hidden test_seq2seq_forward_visible test_seq2seq_forward_hidden test_short_training_hidden test_numerical_gradient_visible test_numerical_gradient_hidden test_numerical_gradient_views_hidden
# %% AttentionWeight
class AttentionWeight:
    """Weights a (N, T): softmax over t of the dot products hs[:, t] . h."""

    def __init__(self):
        self.params, self.grads = [], []
        self.softmax = Softmax()
        self.cache = None

    def forward(self, hs, h):
        """hs: (N, T, H), h: (N, H) -> a: (N, T)."""
        N, T, H = hs.shape
        hr = h.repeat(T, axis=0)          # (N * T, H): the reshape to (N, 1, H) is missing
        t = hs * hr
        s = np.sum(t, axis=2)
        a = self.softmax.forward(s)
        self.cache = (hs, hr)
        return a

    def backward(self, da):
        """da: (N, T) -> (dhs, dh)."""
        hs, hr = self.cache
        N, T, H = hs.shape
        ds = self.softmax.backward(da)
        dt = ds.reshape(N, T, 1).repeat(H, axis=2)
        dhs = dt * hr
        dh = np.sum(dt * hs, axis=1)
        return dhs, dh
