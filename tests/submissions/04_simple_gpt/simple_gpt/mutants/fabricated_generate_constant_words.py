"""Fabricated generation: the start text followed by max_length full stops, the right number of words and all from the vocabulary, without asking the model."""
# base: solution
# expect: fail test_generate_text_visible test_generate_text_hidden
# %% generate_text
def generate_text(model, start_text, vocab, vocab_reverse, max_length=100, temperature=1.0):
    """Continue start_text (words separated by spaces) by max_length sampled tokens."""
    filler = "." if "." in vocab else next(iter(vocab))
    return start_text + (" " + filler) * max_length
