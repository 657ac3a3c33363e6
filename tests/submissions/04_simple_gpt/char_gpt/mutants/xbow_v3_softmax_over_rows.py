"""Version 3 of the trick applies the softmax over axis 0 of the (T, T) matrix."""
# base: solution
# expect: fail test_xbow_versions_visible test_xbow_versions_hidden
# %% xbow_versions
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
    wei = wei / wei.sum(1, keepdim=True)
    xbow2 = wei @ x   # (T, T) @ (B, T, C) -> (B, T, C)
    return xbow2


def xbow_v3(x):
    """Version 3: softmax of a masked matrix of zeros."""
    T = x.shape[1]
    tril = torch.tril(torch.ones(T, T))
    # 힌트 / Hint: wei.masked_fill(tril == 0, float('-inf')), F.softmax(wei, dim=-1)
    wei = torch.zeros((T, T))
    wei = wei.masked_fill(tril == 0, float("-inf"))
    wei = F.softmax(wei, dim=0)
    xbow3 = wei @ x
    return xbow3


def xbow_v4(x, scores=None):
    """Version 4: softmax of masked scores (B, T, T); all-zero scores when none are given."""
    B, T, C = x.shape
    if scores is None:
        scores = torch.zeros((B, T, T))
    tril = torch.tril(torch.ones(T, T))
    # 힌트 / Hint: 버전 3과 같게, 다만 scores에서 시작 / as version 3, but start from scores
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
