"""Fabricated step: every parameter is nudged by a constant and a plausible loss of 1.0 is returned (the old visible test only asked for some change and a loss between 0 and 20)."""
# base: solution
# expect: fail test_train_step_visible test_train_step_hidden test_training_loss
# %% train_step
def train_step(model, optimizer, criterion, inputs, labels):
    """One optimisation step on one batch; returns the loss as a float."""
    model.train()
    with torch.no_grad():
        for param in model.parameters():
            param.add_(1e-3)
    return 1.0
