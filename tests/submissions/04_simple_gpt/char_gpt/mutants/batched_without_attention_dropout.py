"""MultiHeadAttentionBatched never applies attn_dropout to the attention weights."""
# base: solution
# expect: fail test_multi_head_attention_batched_hidden
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
        nh, hs = self.num_heads, self.head_size
        # 힌트 / Hint: .view(B, T, nh, hs).transpose(1, 2) for k, q, v; then as in Head, for all heads at once
        k = self.key(x).view(B, T, nh, hs).transpose(1, 2)     # (B, nh, T, hs)
        q = self.query(x).view(B, T, nh, hs).transpose(1, 2)
        v = self.value(x).view(B, T, nh, hs).transpose(1, 2)
        wei = q @ k.transpose(-2, -1) * hs**-0.5                # (B, nh, T, T)
        wei = wei.masked_fill(self.tril[:T, :T] == 0, float("-inf"))
        wei = F.softmax(wei, dim=-1)
        out = (wei @ v).transpose(1, 2).contiguous().view(B, T, nh * hs)
        out = self.dropout(self.proj(out))
        return out
