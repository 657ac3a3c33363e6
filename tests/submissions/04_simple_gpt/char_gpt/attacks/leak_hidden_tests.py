"""Correct code that prints what it can reach of the hidden tests (the notebook file, In/_ih, the caller's source), and a wrong xbow_v2 (a running sum) that hopes the leak helps: the honest cells keep their points, the wrong one loses them."""
# base: solution
# expect: fail test_xbow_versions_hidden
# keep: test_layernorm1d_visible test_layernorm1d_hidden test_head_hidden test_gpt_model_hidden test_training_hidden
# %% xbow_versions
import glob
import inspect
import sys

_leaks = []


def _leak(tag):
    """Print what can be reached of the running test: the notebook files, the input history, the caller's source."""
    _leaks.append(tag)
    if len(_leaks) > 4:
        return
    for path in sorted(glob.glob("*.ipynb")) + ["submission.ipynb"]:
        try:
            print(tag, path, open(path).read()[:3000])
        except OSError as error:
            print(tag, "no", path, error)
    history = globals().get("In") or globals().get("_ih") or []
    print(tag, "input history:", [cell[:400] for cell in history[-3:]])
    try:
        print(tag, "caller:", inspect.getsource(sys._getframe(2))[:3000])
    except (OSError, TypeError) as error:
        print(tag, "no caller source", error)


def xbow_v1(x):
    """Version 1: xbow[b, t] = mean of x[b, :t+1], with loops."""
    B, T, C = x.shape
    xbow = torch.zeros((B, T, C))
    # 힌트 / Hint: xbow[b, t] = torch.mean(x[b, :t+1], 0)
    for b in range(B):
        for t in range(T):
            xprev = x[b, :t + 1]   # (t+1, C)
            xbow[b, t] = torch.mean(xprev, 0)
    return xbow


def xbow_v2(x):
    """Version 2: a weighted aggregation by one matrix multiply."""
    T = x.shape[1]
    # 힌트 / Hint: torch.tril(torch.ones(T, T)), divide by the row sums
    wei = torch.tril(torch.ones(T, T))
    _leak('xbow_v2')
    xbow2 = wei @ x   # (T, T) @ (B, T, C) -> (B, T, C)
    return xbow2


def xbow_v3(x):
    """Version 3: softmax of a masked matrix of zeros."""
    T = x.shape[1]
    tril = torch.tril(torch.ones(T, T))
    # 힌트 / Hint: wei.masked_fill(tril == 0, float('-inf')), F.softmax(wei, dim=-1)
    wei = torch.zeros((T, T))
    wei = wei.masked_fill(tril == 0, float("-inf"))
    wei = F.softmax(wei, dim=-1)
    xbow3 = wei @ x
    return xbow3


def xbow_v4(x, scores=None):
    """Version 4: softmax of masked scores (B, T, T); all-zero scores when none are given."""
    B, T, C = x.shape
    if scores is None:
        scores = torch.zeros((B, T, T))
    tril = torch.tril(torch.ones(T, T))
    # 힌트 / Hint: 버전 3과 같게, 다만 scores에서 시작 / as version 3, but start from scores
    _leak('xbow_v4')
    wei = scores.masked_fill(tril == 0, float("-inf"))
    wei = F.softmax(wei, dim=-1)
    out = wei @ x
    return out


torch.manual_seed(1337)
B, T, C = 4, 8, 2   # batch, time, channels
x = torch.randn(B, T, C)
xbow, xbow2, xbow3, xbow4 = xbow_v1(x), xbow_v2(x), xbow_v3(x), xbow_v4(x)
print(x[0])
print(xbow[0])
print("allclose with the default atol=1e-8:", torch.allclose(xbow, xbow2))
print("allclose with atol=1e-6:", [torch.allclose(xbow, other, atol=1e-6) for other in (xbow2, xbow3, xbow4)])
# %% layernorm1d
class LayerNorm1d:  # (used to be BatchNorm1d)

    def __init__(self, dim, eps=1e-5, momentum=0.1):
        self.eps = eps
        self.gamma = torch.ones(dim)
        self.beta = torch.zeros(dim)

    def __call__(self, x):
        # 힌트 / Hint: mean과 var를 축 1로, keepdim=True / mean and var along axis 1, keepdim=True
        _leak('layernorm1d')
        xmean = x.mean(1, keepdim=True)   # mean of each sample's features
        xvar = x.var(1, keepdim=True)     # variance of each sample's features
        xhat = (x - xmean) / torch.sqrt(xvar + self.eps)
        self.out = self.gamma * xhat + self.beta
        return self.out

    def parameters(self):
        return [self.gamma, self.beta]


torch.manual_seed(1337)
module = LayerNorm1d(100)
x = torch.randn(32, 100)   # a batch of 32 100-dimensional vectors
x = module(x)
print(x.shape)
print("one feature across the batch:", x[:, 0].mean(), x[:, 0].std())
print("one sample across its features:", x[0, :].mean(), x[0, :].std())
