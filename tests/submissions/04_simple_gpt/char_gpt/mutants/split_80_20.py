"""The split keeps 80% for training instead of 90%."""
# base: solution
# expect: fail test_train_val_split_visible test_train_val_split_hidden
# %% train_val_split
# 힌트 / Hint: n = int(0.9 * len(data))
data = torch.tensor(encode(text), dtype=torch.long)
n = int(0.8 * len(data))   # first 90% will be train, rest val
train_data = data[:n]
val_data = data[n:]
print(data.shape, data.dtype)
print(data[:20])
print(len(train_data), len(val_data))
