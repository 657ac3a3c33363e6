"""Correct code that prints what it can reach of the hidden tests (the notebook file, the kernel's input history In/_ih, the caller's source via inspect), plus a wrong train_step that hopes to read its answer from that source: the honest cells keep their points, the wrong one loses them."""
# base: solution
# expect: fail test_train_step_hidden
# keep: test_labels_visible test_labels_hidden test_generate_text_visible test_generate_text_hidden test_positional_encoding_hidden test_gpt_hidden test_gpt_causal
# %% make_inputs_and_labels
import glob
import inspect
import sys


_leaks = []


def _leak(tag):
    """Print everything about the running test that can be reached from here (the first few calls)."""
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


def make_inputs_and_labels(sequences):
    """Windows of T + 1 tokens -> (inputs, labels), each (N, T): the labels are the inputs shifted by one."""
    _leak("make_inputs_and_labels")
    return sequences[:, :-1], sequences[:, 1:]
# %% train_step
def train_step(model, optimizer, criterion, inputs, labels):
    """Reads the caller's source for a number to return; never trains."""
    try:
        source = inspect.getsource(sys._getframe(1))
    except (OSError, TypeError):
        source = ""
    numbers = [float(word) for word in source.replace("(", " ").replace(")", " ").replace(",", " ").split()
               if word.replace(".", "", 1).isdigit()]
    return numbers[0] if numbers else 0.0
# %% generate_text
def generate_text(model, start_text, vocab, vocab_reverse, max_length=100, temperature=1.0):
    """Continue start_text (words separated by spaces) by max_length sampled tokens."""
    _leak("generate_text")
    model.eval()
    current_text = start_text
    encoded = torch.tensor([[vocab[word] for word in start_text.split()]], dtype=torch.long)
    with torch.no_grad():
        for _ in range(max_length):
            context = encoded[:, -model.max_len:]
            output = model(context)
            logits = output[0, -1] / temperature
            probs = F.softmax(logits, dim=-1)
            next_char_idx = torch.multinomial(probs, 1)
            current_text += " " + vocab_reverse[next_char_idx.item()]
            encoded = torch.cat([encoded, next_char_idx.view(1, 1)], dim=1)
    return current_text
