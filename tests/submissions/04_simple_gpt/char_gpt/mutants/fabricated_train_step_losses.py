"""Fabricated training: train_step never updates the model and returns a falling made-up series (the old visible check only asked the fifth number to be lower than the first)."""
# base: solution
# expect: fail test_train_step_visible test_train_step_hidden test_training_hidden
# %% train_step
def train_step(model, optimizer, xb, yb):
    """One optimisation step on the batch (xb, yb); returns the loss before the step as a float."""
    # 힌트 / Hint: model(xb, yb); optimizer.zero_grad(set_to_none=True); loss.backward(); optimizer.step()
    global _made_up_step
    _made_up_step = globals().get('_made_up_step', 0) + 1
    return 4.3 - 0.05 * _made_up_step


torch.manual_seed(1337)
_demo = GPTLanguageModel()
_demo_optimizer = torch.optim.AdamW(_demo.parameters(), lr=1e-3)
xb, yb = get_batch("train")
step_losses = [train_step(_demo, _demo_optimizer, xb, yb) for _ in range(5)]
print("the same batch five times:", [round(v, 4) for v in step_losses])
