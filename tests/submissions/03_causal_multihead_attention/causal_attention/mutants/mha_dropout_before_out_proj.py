"""Q7: dropout applied to the joined context vectors, just before out_proj, instead of to every head's attention weights."""
# base: solution
# expect: fail test_multihead_attention_dropout
# keep: test_causal_mask_visible test_causal_mask_hidden test_mask_and_renormalize_visible test_mask_and_renormalize_hidden test_mask_scores_visible test_mask_scores_hidden test_dropout_visible test_dropout_hidden test_causal_attention_visible test_causal_attention_hidden test_causal_attention_causality test_causal_attention_dropout test_multihead_wrapper_visible test_multihead_wrapper_hidden test_multihead_attention_visible test_multihead_attention_hidden test_multihead_attention_causality test_to_torch_multihead_visible test_to_torch_multihead_hidden test_sdpa_forward_visible test_sdpa_forward_hidden test_count_parameters_visible test_count_parameters_hidden
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
        keys = keys.view(b, num_tokens, self.num_heads, self.head_dim).transpose(1, 2)
        queries = queries.view(b, num_tokens, self.num_heads, self.head_dim).transpose(1, 2)
        values = values.view(b, num_tokens, self.num_heads, self.head_dim).transpose(1, 2)
        if self.verbose:
            print("keys.shape after view and transpose (b, num_heads, num_tokens, head_dim):", keys.shape)
        # 힌트 / Hint: scores for every head; mask cut to num_tokens; softmax of scores / head_dim ** 0.5; dropout
        attn_scores = queries @ keys.transpose(2, 3)
        mask_bool = self.mask.bool()[:num_tokens, :num_tokens]
        attn_scores = attn_scores.masked_fill(mask_bool, -torch.inf)
        attn_weights = torch.softmax(attn_scores / self.head_dim ** 0.5, dim=-1)
        if self.verbose:
            print("attn_scores.shape (b, num_heads, num_tokens, num_tokens):", attn_scores.shape)
        # 힌트 / Hint: (attn_weights @ values).transpose(1, 2), .contiguous().view(b, num_tokens, self.d_out), out_proj
        context_vec = (attn_weights @ values).transpose(1, 2)
        context_vec = context_vec.contiguous().view(b, num_tokens, self.d_out)
        context_vec = self.out_proj(self.dropout(context_vec))
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
