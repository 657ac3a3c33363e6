"""decode tidies its result with .strip(), which eats the spaces and newlines at both ends of a decoded sequence."""
# base: solution
# expect: fail test_encode_decode_hidden
# keep: test_encode_decode_visible
# %% encode_decode
chars = sorted(list(set(text)))
vocab_size = len(chars)
stoi = {ch: i for i, ch in enumerate(chars)}
itos = {i: ch for i, ch in enumerate(chars)}
encode = lambda s: [stoi[c] for c in s]
decode = lambda l: "".join([itos[i] for i in l]).strip()
print(repr("".join(chars)))
print(vocab_size)
print(encode("hii there"))
print(decode(encode("hii there")))
