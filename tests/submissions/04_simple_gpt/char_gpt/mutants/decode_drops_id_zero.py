"""decode skips id 0 as if it were padding (a habit from the translation notebooks, where 0 is PAD); here id 0 is the newline, so every decoded line break is lost."""
# base: solution
# expect: fail test_encode_decode_hidden
# keep: test_encode_decode_visible
# %% encode_decode
chars = sorted(list(set(text)))
vocab_size = len(chars)
stoi = {ch: i for i, ch in enumerate(chars)}
itos = {i: ch for i, ch in enumerate(chars)}
encode = lambda s: [stoi[c] for c in s]
decode = lambda l: "".join([itos[i] for i in l if i != 0])
print(repr("".join(chars)))
print(vocab_size)
print(encode("hii there"))
print(decode(encode("hii there")))
