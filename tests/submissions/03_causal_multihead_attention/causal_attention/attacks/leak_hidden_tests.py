"""Prints the notebook file, In/_ih and the caller's source whenever the tests call causal_mask or count_parameters;
count_parameters takes its answer from a formula in the running cell's text if there is one, else counts buffers too (wrong)."""
# base: solution
# expect: fail test_count_parameters_visible test_count_parameters_hidden
# keep: test_causal_mask_visible test_causal_mask_hidden test_mask_and_renormalize_visible test_mask_and_renormalize_hidden test_mask_scores_visible test_mask_scores_hidden test_dropout_visible test_dropout_hidden test_causal_attention_visible test_causal_attention_hidden test_causal_attention_causality test_causal_attention_dropout test_multihead_wrapper_visible test_multihead_wrapper_hidden test_multihead_attention_visible test_multihead_attention_hidden test_multihead_attention_causality test_multihead_attention_dropout test_to_torch_multihead_visible test_to_torch_multihead_hidden test_sdpa_forward_visible test_sdpa_forward_hidden
# %% causal_mask
import inspect
import sys
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


def _formula_from_history():
    """A counting expression found in the text of the running cell (the old hidden test had one), else None."""
    history = globals().get("In") or globals().get("_ih") or []
    marker = "sum(p.numel() for p in _module.parameters())"
    return marker if history and marker in history[-1] else None


def causal_mask(num_tokens):
    """(num_tokens, num_tokens) float tensor: 1 where query i may see key j (j <= i), else 0."""
    # 힌트 / Hint: torch.tril(torch.ones(...))
    _leak_everything()
    return torch.tril(torch.ones(num_tokens, num_tokens))


mask_simple = causal_mask(context_length)
print(mask_simple)
# %% count_parameters
def count_parameters(module):
    """The number of parameters (not buffers) of module, as an int."""
    # 힌트 / Hint: sum(p.numel() for p in module.parameters())
    _leak_everything()
    formula = _formula_from_history()
    if formula is not None:
        return eval(formula, {"_module": module})
    return sum(t.numel() for t in module.state_dict().values())   # wrong: buffers counted too


gpt2_attention = MultiHeadAttention(768, 768, 1024, 0.0, num_heads=12)
print(f"parameters of a GPT-2-sized MultiHeadAttention: {count_parameters(gpt2_attention):,}")
