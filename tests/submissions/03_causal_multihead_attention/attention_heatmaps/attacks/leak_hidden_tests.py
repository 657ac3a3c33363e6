"""Prints the notebook file, In/_ih and the caller's source whenever the tests call the masks; make_causal_mask takes the
expected pattern from the running cell's text if it is there, else keeps the upper triangle (wrong)."""
# base: solution
# expect: fail test_masks_visible test_masks_hidden
# keep: test_multihead_attention_visible test_multihead_attention_hidden test_decoder_layer_hidden test_heatmap_visible test_heatmap_hidden
# %% masks
import sys

import inspect
from pathlib import Path


def _show(label, text, limit=1500):
    print(f"--- {label} ({len(text)} characters) ---")
    print(text[:limit])


def _leak_everything():
    """Print the notebook file, the input history and the source of the calling cell."""
    for path in sorted(Path(".").glob("*.ipynb")) + [Path("submission.ipynb")]:
        try:
            _show(f"file {path}", path.read_text())
        except OSError as error:
            print("cannot read", path, type(error).__name__)
    history = globals().get("In") or globals().get("_ih") or []
    if history:
        _show("In[-1]", history[-1])
    try:
        _show("caller", inspect.getsource(sys._getframe(2)))
    except (OSError, TypeError) as error:
        print("no caller source:", type(error).__name__)


def _expression_from_history():
    """The expected causal pattern written in the running cell (the old hidden test had one), else None."""
    history = globals().get("In") or globals().get("_ih") or []
    marker = "torch.ones(_tq, _tq).tril().expand(_n, _tq, _tq)"
    return marker if history and marker in history[-1] else None


def make_pad_mask(q, k):
    """(N, T_q, T_k) or (N, 1, T_k) mask, True where the key k[n, j] is not padding (PAD_ID)."""
    # 힌트 / Hint: 키 쪽 ids가 PAD_ID가 아닌 곳 -> (N, 1, T_k) / where the key ids differ from PAD_ID, as (N, 1, T_k)
    _leak_everything()
    return (k != PAD_ID).unsqueeze(1).expand(-1, q.size(1), -1)


def make_causal_mask(trg):
    """(N, T, T) or (1, T, T) mask, True where key j <= query i (the past and the token itself)."""
    # 힌트 / Hint: 1로 채운 (T, T) 행렬의 아래 삼각형 (대각선 포함) / the lower triangle, diagonal included
    _leak_everything()
    expression = _expression_from_history()
    if expression is not None:
        return eval(expression, globals())
    length = trg.size(1)
    return torch.triu(torch.ones(length, length, dtype=torch.bool)).unsqueeze(0).expand(trg.size(0), -1, -1)   # wrong
    lower = torch.tril(torch.ones(length, length, dtype=torch.bool, device=trg.device))
    return lower.unsqueeze(0).expand(trg.size(0), -1, -1)
