"""Correct layers, but the Softmax cell prints the handed-in notebook (with the restored hidden tests) and the input history In/_ih, and Attention.backward prints the source and locals of its caller; TimeAttention.backward is wrong. What leaks carries no answers: the correct cells keep their points, the wrong one earns nothing."""
# base: solution
# expect: fail test_time_attention_backward_hidden
# keep: test_softmax_hidden test_weightsum_forward_hidden test_weightsum_backward_hidden test_attention_weight_forward_hidden test_attention_weight_backward_hidden test_attention_forward_hidden test_attention_backward_hidden test_time_attention_forward_hidden test_attention_step_hidden test_seq2seq_forward_hidden test_short_training_hidden
# %% Softmax
import glob
import inspect
import sys

for path in sorted(glob.glob("*.ipynb")):
    try:
        print(open(path, encoding="utf-8").read()[:200000])
    except OSError as error:
        print("cannot read", path, error)
print(In)
print(_ih)


class Softmax:
    def __init__(self):
        self.params, self.grads = [], []
        self.out = None

    def forward(self, x):
        shifted = x - x.max(axis=1, keepdims=True)
        exp_scores = np.exp(shifted)
        self.out = exp_scores / exp_scores.sum(axis=1, keepdims=True)
        return self.out

    def backward(self, dout):
        y = self.out
        return y * (dout - np.sum(dout * y, axis=1, keepdims=True))
# %% Attention
class Attention:
    def __init__(self):
        self.params, self.grads = [], []
        self.attention_weight_layer = AttentionWeight()
        self.weight_sum_layer = WeightSum()
        self.attention_weight = None

    def forward(self, hs, h):
        a = self.attention_weight_layer.forward(hs, h)
        out = self.weight_sum_layer.forward(hs, a)
        self.attention_weight = a
        return out

    def backward(self, dout):
        caller = sys._getframe(1)
        try:
            print(inspect.getsource(caller)[:5000])
        except (OSError, TypeError) as error:
            print("no source:", error)
        print(sorted(str(k) for k in caller.f_locals if str(k).startswith("_")))
        dhs0, da = self.weight_sum_layer.backward(dout)
        dhs1, dh = self.attention_weight_layer.backward(da)
        return dhs0 + dhs1, dh
# %% TimeAttention
class TimeAttention:
    def __init__(self):
        self.params, self.grads = [], []
        self.layers = None
        self.attention_weights = None

    def forward(self, hs_enc, hs_dec):
        N, T, H = hs_dec.shape
        out = np.empty_like(hs_dec)
        self.layers, self.attention_weights = [], []
        for t in range(T):
            layer = Attention()
            out[:, t, :] = layer.forward(hs_enc, hs_dec[:, t, :])
            self.layers.append(layer)
            self.attention_weights.append(layer.attention_weight)
        return out

    def backward(self, dout):
        N, T, H = dout.shape
        dhs_enc = 0
        dhs_dec = np.empty_like(dout)
        for t in range(T):
            dhs, dh = self.layers[t].backward(dout[:, t, :])
            dhs_enc = dhs
            dhs_dec[:, t, :] = dh
        return dhs_enc, dhs_dec
