"""A student's mistake: `loss.backward` without the call, so no gradient is ever computed and nothing is learned."""
# base: solution
# expect: fail test_train_step_visible test_train_step_hidden test_training_loss
# %% train_step
def train_step(model, optimizer, criterion, inputs, labels):
    """One optimisation step on one batch; returns the loss as a float."""
    model.train()
    optimizer.zero_grad()                 # reset the accumulated gradients
    output = model(inputs)                # logits: (batch, seq_len, vocab_size)
    loss = criterion(output.reshape(-1, output.size(-1)), labels.reshape(-1))
    loss.backward
    optimizer.step()                      # update the parameters
    return loss.item()
