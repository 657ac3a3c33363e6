"""The context is never cropped to model.max_len: generating past max_len tokens fails."""
# base: solution
# expect: fail test_generate_text_visible test_generate_text_hidden
# %% generate_text
def generate_text(model, start_text, vocab, vocab_reverse, max_length=100, temperature=1.0):
    """Continue start_text (words separated by spaces) by max_length sampled tokens."""
    model.eval()
    current_text = start_text
    # encode the start text: (1, number of words)
    encoded = torch.tensor([[vocab[word] for word in start_text.split()]], dtype=torch.long)
    with torch.no_grad():
        for _ in range(max_length):
            context = encoded
            output = model(context)
            # the logits of the last position, divided by the temperature
            logits = output[0, -1] / temperature
            probs = F.softmax(logits, dim=-1)
            next_char_idx = torch.multinomial(probs, 1)   # a tensor of shape (1,)
            current_text += " " + vocab_reverse[next_char_idx.item()]
            # append the new token to the sequence
            encoded = torch.cat([encoded, next_char_idx.view(1, 1)], dim=1)
    return current_text
