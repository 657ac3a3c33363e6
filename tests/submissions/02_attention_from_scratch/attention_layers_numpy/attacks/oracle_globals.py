"""Oracle: every layer looks through the caller's frames and globals() for what the hidden test made (reference helpers such as a softmax, a gradient formula, forward lambdas, expected arrays of the right shape) and returns their answer; with nothing found it returns made-up values (uniform weights, zeros)."""
# base: solution
# expect: fail test_softmax_hidden test_weightsum_forward_hidden test_weightsum_backward_hidden test_attention_weight_forward_hidden test_attention_weight_backward_hidden test_attention_forward_hidden test_attention_backward_hidden test_time_attention_forward_hidden test_time_attention_backward_hidden test_attention_step_hidden test_seq2seq_forward_hidden
# %% Softmax
import sys


def _oracle_scopes():
    frame, scopes = sys._getframe(1), []
    while frame is not None:
        scopes.append(frame.f_locals)
        frame = frame.f_back
    return scopes + [globals()]


def _oracle_get(*names):
    """The first object the hidden test left under one of these names."""
    for scope in _oracle_scopes():
        for name in names:
            if name in scope:
                return scope[name]
    return None


def _oracle_array(shape, skip=()):
    """Any underscore-named array of this shape (an expected value, with luck)."""
    for scope in _oracle_scopes():
        for name, value in list(scope.items()):
            if str(name).startswith("_expected") and name not in skip and isinstance(value, np.ndarray) \
                    and value.shape == tuple(shape):
                return value.copy()
    return None


def _oracle_forward(layer, *inputs):
    """A reference forward of this layer from the hidden test's tables of lambdas, if any."""
    cases = _oracle_get("_cases")
    if isinstance(cases, dict) and layer in cases:
        return np.asarray(cases[layer][3](*inputs))
    forwards = _oracle_get("_torch_forwards")
    if isinstance(forwards, dict) and layer in forwards:
        return forwards[layer](*[torch.tensor(x) for x in inputs]).detach().numpy()
    return None


def _oracle_backward(layer, inputs, dout):
    """Gradients of sum(forward * dout) through a reference forward: torch autograd on the lambdas."""
    forwards = _oracle_get("_torch_forwards")
    if isinstance(forwards, dict) and layer in forwards:
        tensors = [torch.tensor(x, requires_grad=True) for x in inputs]
        (forwards[layer](*tensors) * torch.tensor(dout)).sum().backward()
        return tuple(t.grad.numpy() for t in tensors)
    return None


class Softmax:
    def __init__(self):
        self.params, self.grads = [], []
        self.out = None

    def forward(self, x):
        reference = _oracle_get("_softmax_reference", "_softmax_last")
        self.out = reference(x) if callable(reference) else np.full(x.shape, 1.0 / x.shape[1])
        return self.out

    def backward(self, dout):
        found = _oracle_array(dout.shape)
        return found if found is not None else np.zeros_like(dout)
# %% WeightSum
class WeightSum:
    def __init__(self):
        self.params, self.grads = [], []
        self.cache = None

    def forward(self, hs, a):
        self.cache = (hs, a)
        found = _oracle_forward("weightsum", hs, a)
        return found if found is not None else np.zeros((hs.shape[0], hs.shape[2]))

    def backward(self, dc):
        hs, a = self.cache
        found = _oracle_backward("weightsum", (hs, a), dc)
        return found if found is not None else (np.zeros_like(hs), np.zeros_like(a))
# %% AttentionWeight
class AttentionWeight:
    def __init__(self):
        self.params, self.grads = [], []
        self.softmax = Softmax()
        self.cache = None

    def forward(self, hs, h):
        self.cache = (hs, h)
        found = _oracle_forward("attention_weight", hs, h)
        return found if found is not None else np.full(hs.shape[:2], 1.0 / hs.shape[1])

    def backward(self, da):
        hs, h = self.cache
        found = _oracle_backward("attention_weight", (hs, h), da)
        return found if found is not None else (np.zeros_like(hs), np.zeros_like(h))
# %% Attention
class Attention:
    def __init__(self):
        self.params, self.grads = [], []
        self.attention_weight_layer = AttentionWeight()
        self.weight_sum_layer = WeightSum()
        self.attention_weight = None
        self.cache = None

    def forward(self, hs, h):
        self.cache = (hs, h)
        self.attention_weight = self.attention_weight_layer.forward(hs, h)
        found = _oracle_forward("attention", hs, h)
        return found if found is not None else self.weight_sum_layer.forward(hs, self.attention_weight)

    def backward(self, dout):
        hs, h = self.cache
        grads = _oracle_get("_attention_grads")
        if callable(grads):
            return grads(hs, h, dout)
        found = _oracle_backward("attention", (hs, h), dout)
        return found if found is not None else (np.zeros_like(hs), np.zeros_like(h))
# %% TimeAttention
class TimeAttention:
    def __init__(self):
        self.params, self.grads = [], []
        self.layers = None
        self.attention_weights = None
        self.cache = None

    def forward(self, hs_enc, hs_dec):
        self.cache = (hs_enc, hs_dec)
        self.layers = [Attention() for _ in range(hs_dec.shape[1])]
        out = np.stack([layer.forward(hs_enc, hs_dec[:, t]) for t, layer in enumerate(self.layers)], axis=1)
        self.attention_weights = [layer.attention_weight for layer in self.layers]
        found = _oracle_forward("time_attention", hs_enc, hs_dec)
        return found if found is not None else out

    def backward(self, dout):
        hs_enc, hs_dec = self.cache
        grads = _oracle_get("_time_attention_grads")
        if callable(grads):
            return grads(hs_enc, hs_dec, dout)
        found = _oracle_backward("time_attention", (hs_enc, hs_dec), dout)
        return found if found is not None else (np.zeros_like(hs_enc), np.zeros_like(hs_dec))
# %% attention_step
def attention_step(enc_hs, dec_hs):
    weights = _oracle_get("_w")
    if not (isinstance(weights, torch.Tensor) and weights.shape == (enc_hs.shape[0], dec_hs.shape[1], enc_hs.shape[1])):
        weights = torch.full((enc_hs.shape[0], dec_hs.shape[1], enc_hs.shape[1]), 1.0 / enc_hs.shape[1],
                             dtype=enc_hs.dtype)
    return torch.bmm(weights.to(enc_hs.dtype), enc_hs), weights
