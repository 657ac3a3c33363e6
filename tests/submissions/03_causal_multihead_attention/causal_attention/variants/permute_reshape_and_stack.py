"""Correct: permute and reshape in the weight split, torch.stack + flatten in the wrapper, a loop to count."""
# base: solution
# expect: full
# %% multihead_wrapper
class MultiHeadAttentionWrapper(nn.Module):
    """num_heads CausalAttention heads whose outputs are concatenated: (b, num_tokens, d_out * num_heads)."""

    def __init__(self, d_in, d_out, context_length, dropout, num_heads, qkv_bias=False):
        super().__init__()
        # 힌트 / Hint: nn.ModuleList([CausalAttention(...) for _ in range(num_heads)])
        self.heads = nn.ModuleList(
            [CausalAttention(d_in, d_out, context_length, dropout, qkv_bias) for _ in range(num_heads)]
        )

    def forward(self, x):
        # 힌트 / Hint: torch.cat([...], dim=-1)
        outs = torch.stack([head(x) for head in self.heads], dim=2)  # (b, T, h, d_out)
        return outs.flatten(start_dim=2)


torch.manual_seed(123)
context_length = batch.shape[1]   # the number of tokens
d_in, d_out = 3, 2
mha = MultiHeadAttentionWrapper(d_in, d_out, context_length, 0.0, num_heads=2)
context_vecs = mha(batch)
print(context_vecs)
print("context_vecs.shape:", context_vecs.shape)
# %% multihead_attention
class MultiHeadAttention(nn.Module):
    """Causal multi-head attention with one weight matrix per role, split into heads: (b, T, d_in) -> (b, T, d_out)."""

    def __init__(self, d_in, d_out, context_length, dropout, num_heads, qkv_bias=False):
        super().__init__()
        if d_out % num_heads != 0:
            raise ValueError(f"d_out must be divisible by num_heads, got d_out={d_out}, num_heads={num_heads}")
        self.d_out = d_out
        self.num_heads = num_heads
        self.verbose = False   # set to True to print the shapes along the way
        # 힌트 / Hint: head_dim; W_query, W_key, W_value = nn.Linear(d_in, d_out, bias=qkv_bias); out_proj = nn.Linear(d_out, d_out); dropout; mask buffer
        self.head_dim = d_out // num_heads
        self.W_query = nn.Linear(d_in, d_out, bias=qkv_bias)   # all heads in one matrix
        self.W_key = nn.Linear(d_in, d_out, bias=qkv_bias)   # all heads in one matrix
        self.W_value = nn.Linear(d_in, d_out, bias=qkv_bias)   # all heads in one matrix
        self.out_proj = nn.Linear(d_out, d_out)   # mixes the heads' outputs
        self.dropout = nn.Dropout(dropout)
        self.register_buffer("mask", torch.triu(torch.ones(context_length, context_length), diagonal=1))

    def forward(self, x):
        b, num_tokens, d_in = x.shape
        keys = self.W_key(x)          # (b, num_tokens, d_out)
        queries = self.W_query(x)
        values = self.W_value(x)
        if self.verbose:
            print("keys.shape before the split:", keys.shape)
        # 힌트 / Hint: .view(b, num_tokens, self.num_heads, self.head_dim), then .transpose(1, 2)
        keys = keys.reshape(b, num_tokens, self.num_heads, -1).permute(0, 2, 1, 3)
        queries = queries.reshape(b, num_tokens, self.num_heads, -1).permute(0, 2, 1, 3)
        values = values.reshape(b, num_tokens, self.num_heads, -1).permute(0, 2, 1, 3)
        if self.verbose:
            print("keys.shape after view and transpose (b, num_heads, num_tokens, head_dim):", keys.shape)
        # 힌트 / Hint: scores for every head; mask cut to num_tokens; softmax of scores / head_dim ** 0.5; dropout
        attn_scores = queries @ keys.permute(0, 1, 3, 2)
        mask_bool = self.mask.bool()[:num_tokens, :num_tokens]
        attn_scores = attn_scores.masked_fill(mask_bool, -torch.inf)
        attn_weights = torch.softmax(attn_scores / self.head_dim ** 0.5, dim=-1)
        attn_weights = self.dropout(attn_weights)
        if self.verbose:
            print("attn_scores.shape (b, num_heads, num_tokens, num_tokens):", attn_scores.shape)
        # 힌트 / Hint: (attn_weights @ values).transpose(1, 2), .contiguous().view(b, num_tokens, self.d_out), out_proj
        context_vec = (attn_weights @ values).permute(0, 2, 1, 3)
        context_vec = context_vec.reshape(b, num_tokens, self.num_heads * self.head_dim)
        context_vec = self.out_proj(context_vec)
        if self.verbose:
            print("context_vec.shape (b, num_tokens, d_out):", context_vec.shape)
        return context_vec


torch.manual_seed(123)
batch_size, context_length, d_in = batch.shape
d_out = 4
mha = MultiHeadAttention(d_in, d_out, context_length, 0.0, num_heads=2)
mha.verbose = True
context_vecs = mha(batch)
mha.verbose = False
print(context_vecs)
print("context_vecs.shape:", context_vecs.shape)
# %% count_parameters
def count_parameters(module):
    """The number of parameters (not buffers) of module, as an int."""
    # 힌트 / Hint: sum(p.numel() for p in module.parameters())
    total = 0
    for _, parameter in module.named_parameters():
        total += math.prod(parameter.shape)
    return int(total)


gpt2_attention = MultiHeadAttention(768, 768, 1024, 0.0, num_heads=12)
print(f"parameters of a GPT-2-sized MultiHeadAttention: {count_parameters(gpt2_attention):,}")
