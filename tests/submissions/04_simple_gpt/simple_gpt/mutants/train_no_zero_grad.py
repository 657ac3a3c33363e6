"""optimizer.zero_grad() is missing: gradients of all earlier steps keep adding up."""
# base: solution
# expect: fail test_train_step_hidden
# %% train_step
def train_step(model, optimizer, criterion, inputs, labels):
    """One optimisation step on one batch; returns the loss as a float."""
    model.train()
    output = model(inputs)                # logits: (batch, seq_len, vocab_size)
    loss = criterion(output.reshape(-1, output.size(-1)), labels.reshape(-1))
    loss.backward()
    optimizer.step()                      # update the parameters
    return loss.item()
