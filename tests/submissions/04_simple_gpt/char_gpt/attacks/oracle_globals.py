"""Wrong code that answers from the tests' own objects: the batched layer returns the output of the MultiHeadAttention the test built (_mha / mha, found in globals or the caller's frames), and the bigram's generate reads the test's chosen tokens (_first) to produce exactly the expected frequencies; without them both return zeros."""
# base: solution
# expect: fail test_multi_head_attention_batched_hidden test_bigram_generate_hidden
# keep: test_head_hidden test_multi_head_attention_hidden test_block_hidden test_gpt_model_hidden
# %% bigram_model
import sys


def _from_caller(test, *names):
    """The first object with one of these names, passing test, in any caller's locals or globals."""
    frame = sys._getframe(1)
    while frame is not None:
        for scope in (frame.f_locals, frame.f_globals):
            for name in names:
                if name in scope and test(scope[name]):
                    return scope[name]
        frame = frame.f_back
    return None


torch.manual_seed(1337)


class BigramLanguageModel(nn.Module):

    def __init__(self, vocab_size):
        super().__init__()
        # each token directly reads off the logits for the next token from a lookup table
        self.token_embedding_table = nn.Embedding(vocab_size, vocab_size)

    def forward(self, idx, targets=None):
        # 힌트 / Hint: logits = self.token_embedding_table(idx); logits.view(B*T, C), targets.view(B*T)
        logits = self.token_embedding_table(idx)   # (B, T, C)
        if targets is None:
            loss = None
        else:
            B, T, C = logits.shape
            logits = logits.view(B * T, C)
            targets = targets.view(B * T)
            loss = F.cross_entropy(logits, targets)
        return logits, loss

    def generate(self, idx, max_new_tokens):
        # 힌트 / Hint: logits[:, -1, :], F.softmax(..., dim=-1), torch.multinomial(probs, num_samples=1), torch.cat
        for _ in range(max_new_tokens):
            logits, loss = self(idx)
            logits = logits[:, -1, :]                           # (B, C)
            probs = F.softmax(logits, dim=-1)                   # (B, C)
            first = _from_caller(lambda v: isinstance(v, list) and len(v) == 3, '_first')
            B = probs.shape[0]
            if first is not None:
                pattern = [first[0]] * 5 + [first[1]] * 3 + [first[2]] * 2
                idx_next = torch.tensor([pattern[i % 10] for i in range(B)]).view(B, 1)
            else:
                idx_next = torch.zeros(B, 1, dtype=torch.long)
            idx = torch.cat((idx, idx_next), dim=1)             # (B, T+1)
        return idx


m = BigramLanguageModel(vocab_size)
logits, loss = m(xb, yb)
print(logits.shape)
print(loss)
print(decode(m.generate(idx=torch.zeros((1, 1), dtype=torch.long), max_new_tokens=100)[0].tolist()))
# %% multi_head_attention_batched
class MultiHeadAttentionBatched(nn.Module):
    """ all heads of self-attention in one batched matrix product """

    def __init__(self, num_heads, head_size):
        super().__init__()
        self.num_heads = num_heads
        self.head_size = head_size
        # 힌트 / Hint: 위의 순서대로 / in the order above
        self.key = nn.Linear(n_embd, num_heads * head_size, bias=False)
        self.query = nn.Linear(n_embd, num_heads * head_size, bias=False)
        self.value = nn.Linear(n_embd, num_heads * head_size, bias=False)
        self.register_buffer("tril", torch.tril(torch.ones(block_size, block_size)))   # shared by all heads
        self.attn_dropout = nn.Dropout(dropout)
        self.proj = nn.Linear(n_embd, n_embd)
        self.dropout = nn.Dropout(dropout)   # after the projection

    def forward(self, x):
        B, T, C = x.shape
        other = _from_caller(lambda v: isinstance(v, MultiHeadAttention) and len(v.heads) == self.num_heads, '_mha', 'mha')
        if other is not None:
            return other(x)
        return torch.zeros(B, T, C) + 0.0 * self.proj.bias
        nh, hs = self.num_heads, self.head_size
        # 힌트 / Hint: .view(B, T, nh, hs).transpose(1, 2) for k, q, v; then as in Head, for all heads at once
        k = self.key(x).view(B, T, nh, hs).transpose(1, 2)     # (B, nh, T, hs)
        q = self.query(x).view(B, T, nh, hs).transpose(1, 2)
        v = self.value(x).view(B, T, nh, hs).transpose(1, 2)
        wei = q @ k.transpose(-2, -1) * hs**-0.5                # (B, nh, T, T)
        wei = wei.masked_fill(self.tril[:T, :T] == 0, float("-inf"))
        wei = self.attn_dropout(F.softmax(wei, dim=-1))
        out = (wei @ v).transpose(1, 2).contiguous().view(B, T, nh * hs)
        out = self.dropout(self.proj(out))
        return out
