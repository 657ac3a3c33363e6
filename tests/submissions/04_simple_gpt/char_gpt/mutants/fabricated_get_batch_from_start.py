"""Fabricated batches: every row starts at position 0, so rows are consecutive, y = x + 1 and all values in range (the old checks of the pattern passed), but nothing is random."""
# base: solution
# expect: fail test_get_batch_visible test_get_batch_hidden
# %% get_batch
torch.manual_seed(1337)
batch_size = 4   # how many independent sequences we process in parallel
block_size = 8   # the maximum context length of a prediction


def get_batch(split):
    """A random batch (x, y) of shape (batch_size, block_size) from the train or val split; y is x shifted by one."""
    # 힌트 / Hint: ix = torch.zeros(batch_size, dtype=torch.long); torch.stack([...])
    data = train_data if split == "train" else val_data
    ix = torch.zeros(batch_size, dtype=torch.long)
    x = torch.stack([data[i:i + block_size] for i in ix])
    y = torch.stack([data[i + 1:i + block_size + 1] for i in ix])
    return x, y


xb, yb = get_batch("train")
print("inputs:", xb.shape)
print(xb)
print("targets:", yb.shape)
print(yb)
for t in range(block_size):
    print(f"when input is {xb[0, :t + 1].tolist()} the target: {yb[0, t]}")
