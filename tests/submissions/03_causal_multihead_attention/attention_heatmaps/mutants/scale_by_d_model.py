"""The scores are divided by sqrt(d_model) instead of sqrt(depth), the dimension of one head."""
# base: solution
# expect: fail test_multihead_attention_hidden test_decoder_layer_hidden
# keep: test_multihead_attention_visible test_heatmap_hidden test_causality_probe_visible test_causality_probe_hidden
# %% MultiHeadAttention
class MultiHeadAttention(nn.Module):
    def __init__(self, d_model, num_heads):
        super(MultiHeadAttention, self).__init__()
        self.num_heads = num_heads
        self.d_model = d_model
        if d_model % num_heads != 0:
            raise ValueError(f"d_model ({d_model}) must be a multiple of num_heads ({num_heads})")
        self.depth = d_model // num_heads

        self.Wq = nn.Linear(d_model, d_model)
        self.Wk = nn.Linear(d_model, d_model)
        self.Wv = nn.Linear(d_model, d_model)

        self.dense = nn.Linear(d_model, d_model)

    def split_heads(self, x, batch_size):
        """(N, T, d_model) -> (N, num_heads, T, depth)."""
        # 힌트 / Hint: view(batch_size, -1, num_heads, depth) 다음 permute / view, then permute
        x = x.view(batch_size, -1, self.num_heads, self.depth)
        return x.permute(0, 2, 1, 3)

    def forward(self, q, k, v, mask):
        """Returns (output (N, T_q, d_model), attn (N, num_heads, T_q, T_k)) with attn taken after the mask."""
        batch_size = q.size(0)
        # 힌트 / Hint: 투영, 헤드 나누기, QK^T / sqrt(depth), 마스크, 키 축 softmax, attn @ V, 헤드 잇기, dense
        #              project, split heads, QK^T / sqrt(depth), mask, softmax over keys, attn @ V, join heads, dense
        q = self.split_heads(self.Wq(q), batch_size)
        k = self.split_heads(self.Wk(k), batch_size)
        v = self.split_heads(self.Wv(v), batch_size)

        attn = torch.matmul(q, k.permute(0, 1, 3, 2)) / math.sqrt(self.d_model)
        attn = attn.masked_fill(mask.unsqueeze(1) == 0, -1e9)
        attn = torch.softmax(attn, dim=-1)

        out = torch.matmul(attn, v)                       # (N, num_heads, T_q, depth)
        out = out.permute(0, 2, 1, 3).contiguous()
        out = out.view(batch_size, -1, self.d_model)      # the heads side by side again
        return self.dense(out), attn
