"""The vocabulary is sorted only where it is numbered: chars stays the unordered set(text), so it is not the sorted list of characters (and cannot be indexed); vocab_size, stoi, itos, encode and decode are right."""
# base: solution
# expect: fail test_encode_decode_hidden
# keep: test_encode_decode_visible test_train_val_split_visible test_train_val_split_hidden
# %% encode_decode
chars = set(text)
vocab_size = len(chars)
stoi = {ch: i for i, ch in enumerate(sorted(chars))}
itos = {i: ch for ch, i in stoi.items()}
encode = lambda s: [stoi[c] for c in s]
decode = lambda l: "".join([itos[i] for i in l])
print(repr("".join(chars)))
print(vocab_size)
print(encode("hii there"))
print(decode(encode("hii there")))
