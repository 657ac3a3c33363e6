"""Oracle: every function and chain cell looks through globals() and the caller's frames for what the hidden test made (names starting with _, tensors of the right shape, helper callables) and returns that; where nothing is found it returns a made-up value that agrees with its own inputs (zeros, or uniform weights)."""
# base: solution
# expect: fail test_attn_weights_2_tmp_hidden test_attn_weights_2_hidden test_context_vec_2_hidden test_attn_weights_hidden test_all_context_vecs_hidden test_softmax_naive_hidden test_softmax_stable_hidden test_qkv_projections_hidden test_query_2_scores_hidden test_scaled_attn_weights_2_hidden test_trainable_context_vec_2_hidden test_self_attention_v1_hidden test_self_attention_v1_trainable test_self_attention_v2_hidden test_copy_weights_hidden
# keep: test_dot_product_hidden test_attn_scores_2_hidden test_attn_scores_loop_hidden test_attn_scores_hidden test_qkv_weights_hidden
# %% dot_product
import inspect
import sys


def _oracle_scopes():
    """Every namespace the grader's test might have left something in: caller frames, then globals."""
    frame = sys._getframe(1)
    scopes = []
    while frame is not None:
        scopes.append(frame.f_locals)
        frame = frame.f_back
    scopes.append(globals())
    return scopes


def _oracle_find(shape, skip=()):
    """A tensor or array of this shape that the hidden test made (an expected value, with luck)."""
    preferred = ("_expected", "_exact", "_draws", "_w", "_expected_dx", "_expected_dhs", "_expected_dh")
    for scope in _oracle_scopes():
        for name in preferred + tuple(scope):
            if not str(name).startswith("_") or name not in scope or name in skip:
                continue
            value = scope[name]
            if isinstance(value, (torch.Tensor, np.ndarray)) and tuple(value.shape) == tuple(shape):
                return torch.as_tensor(value, dtype=torch.float32).detach().clone()
    return None


def _oracle_call(*args):
    """Call any reference-looking helper the hidden test defined (a _ref..., _project, _expected...)."""
    for scope in _oracle_scopes():
        for name, value in list(scope.items()):
            if str(name).startswith("_") and callable(value) and any(
                    word in str(name) for word in ("ref", "expected", "project", "grads", "softmax")):
                try:
                    return value(*args)
                except Exception:
                    continue
    return None


query = inputs[1]
x_1 = inputs[0]
res = 0.
for idx, element in enumerate(x_1):
    res += element * query[idx]
res_dot = torch.dot(x_1, query)
# %% attn_weights_2_tmp
attn_weights_2_tmp = _oracle_find((6,), skip=("_toy",))
if attn_weights_2_tmp is None:
    attn_scores_2 = torch.ones(6)
    attn_weights_2_tmp = attn_scores_2 / 6
# %% softmax_naive
def softmax_naive(x):
    found = _oracle_call(x)
    if found is None:
        found = _oracle_find(tuple(x.shape), skip=("_x",))
    return found if found is not None else torch.full(x.shape, 1.0 / x.numel())


attn_weights_2_naive = softmax_naive(attn_scores_2)
# %% attn_weights_2
attn_weights_2 = _oracle_find((6,))
if attn_weights_2 is None:
    attn_scores_2 = torch.zeros(6)
    attn_weights_2 = torch.full((6,), 1 / 6)
# %% context_vec_2
context_vec_2 = _oracle_find((3,))
if context_vec_2 is None:
    attn_weights_2 = torch.zeros(6)
    context_vec_2 = torch.zeros(3)
# %% attn_weights
attn_weights = _oracle_find((6, 6), skip=("_toy",))
if attn_weights is None:
    attn_scores = torch.zeros(6, 6)
    attn_weights = torch.full((6, 6), 1 / 6)
# %% all_context_vecs
all_context_vecs = _oracle_find((6, 3), skip=("_toy",))
if all_context_vecs is None:
    attn_weights = torch.zeros(6, 6)
    all_context_vecs = torch.zeros(6, 3)
# %% softmax_stable
def softmax_stable(x):
    found = _oracle_call(x)
    if found is None:
        found = _oracle_find(tuple(x.shape), skip=("_x", "_original"))
    return found if found is not None else torch.full(x.shape, 1.0 / x.shape[-1])
# %% qkv_projections
W_query = W_key = W_value = torch.zeros(3, 2)
query_2 = key_2 = value_2 = torch.zeros(2)
queries = keys = values = torch.zeros(6, 2)
# %% query_2_scores
keys_2 = keys[1]
query_2 = torch.zeros(2)
attn_score_22 = torch.tensor(0.0)
attn_scores_2 = torch.zeros(6)
# %% scaled_attn_weights_2
d_k = keys.shape[1]
attn_scores_2 = torch.zeros(6)
attn_weights_2 = torch.full((6,), 1 / 6)
# %% trainable_context_vec_2
attn_weights_2 = torch.zeros(6)
context_vec_2 = torch.zeros(2)
# %% self_attention_v1
class SelfAttention_v1(nn.Module):
    def __init__(self, d_in, d_out):
        super().__init__()
        self.W_query = nn.Parameter(torch.rand(d_in, d_out))
        self.W_key = nn.Parameter(torch.rand(d_in, d_out))
        self.W_value = nn.Parameter(torch.rand(d_in, d_out))

    def forward(self, x):
        found = _oracle_find((x.shape[0], self.W_value.shape[1]), skip=("_x", "_upstream"))
        if found is not None:
            return found.to(x.dtype) + 0 * (self.W_query.sum() + self.W_key.sum() + self.W_value.sum())
        # trainable-looking: every weight is in the graph, only the values matter
        return x @ self.W_value + 0 * (self.W_query.sum() + self.W_key.sum())
# %% self_attention_v2
class SelfAttention_v2(nn.Module):
    def __init__(self, d_in, d_out, qkv_bias=False):
        super().__init__()
        self.W_query = nn.Linear(d_in, d_out, bias=qkv_bias)
        self.W_key = nn.Linear(d_in, d_out, bias=qkv_bias)
        self.W_value = nn.Linear(d_in, d_out, bias=qkv_bias)

    def forward(self, x):
        projected = [_oracle_call(name) for name in ("W_query", "W_key", "W_value")]
        if all(isinstance(p, torch.Tensor) for p in projected):
            q, k, v = projected
        else:
            q, k, v = self.W_query(x), self.W_key(x), self.W_value(x)
        found = _oracle_find(tuple(v.shape), skip=("_x",))
        return found if found is not None else v
# %% copy_weights_v2_to_v1
def copy_weights_v2_to_v1(sa_v1, sa_v2):
    for scope in _oracle_scopes():
        for name, value in list(scope.items()):
            # a dict of (d_in, d_out) tensors named like an expected result
            if str(name).startswith("_") and "expected" in str(name) and isinstance(value, dict):
                with torch.no_grad():
                    for key in ("W_query", "W_key", "W_value"):
                        getattr(sa_v1, key).copy_(torch.as_tensor(value[key]))
                return
    with torch.no_grad():
        for name in ("W_query", "W_key", "W_value"):
            getattr(sa_v1, name).zero_()
            getattr(sa_v2, name).weight.zero_()
