"""Made-up training numbers: train_step never updates the model and returns a smoothly falling series that starts near ln(vocab_size) (the old loss-curve check believed such numbers)."""
# base: solution
# expect: fail test_train_step_visible test_train_step_hidden test_training_loss
# %% train_step
_made_up_losses = iter([3.3 * 0.97 ** k + 0.5 for k in range(100_000)])


def train_step(model, optimizer, criterion, inputs, labels):
    """One optimisation step on one batch; returns the loss as a float."""
    model.train()
    return float(next(_made_up_losses))
