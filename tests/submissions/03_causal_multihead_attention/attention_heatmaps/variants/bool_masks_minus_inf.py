"""Broadcastable bool masks ((N, 1, T_k) and (1, T, T)), -inf fill with ~mask, reshape and transpose."""
# base: solution
# expect: full
# %% masks
def make_pad_mask(q, k):
    """(N, T_q, T_k) or (N, 1, T_k) mask, True where the key k[n, j] is not padding (PAD_ID)."""
    # 힌트 / Hint: 키 쪽 ids가 PAD_ID가 아닌 곳 -> (N, 1, T_k) / where the key ids differ from PAD_ID, as (N, 1, T_k)
    return (k != PAD_ID)[:, None, :]   # broadcasts over the queries


def make_causal_mask(trg):
    """(N, T, T) or (1, T, T) mask, True where key j <= query i (the past and the token itself)."""
    # 힌트 / Hint: 1로 채운 (T, T) 행렬의 아래 삼각형 (대각선 포함) / the lower triangle, diagonal included
    length = trg.size(1)
    lower = torch.tril(torch.ones(length, length, dtype=torch.bool, device=trg.device))
    return lower[None]   # broadcasts over the batch
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
        return x.reshape(batch_size, x.size(1), self.num_heads, self.depth).transpose(1, 2)

    def forward(self, q, k, v, mask):
        """Returns (output (N, T_q, d_model), attn (N, num_heads, T_q, T_k)) with attn taken after the mask."""
        batch_size = q.size(0)
        # 힌트 / Hint: 투영, 헤드 나누기, QK^T / sqrt(depth), 마스크, 키 축 softmax, attn @ V, 헤드 잇기, dense
        #              project, split heads, QK^T / sqrt(depth), mask, softmax over keys, attn @ V, join heads, dense
        q = self.split_heads(self.Wq(q), batch_size)
        k = self.split_heads(self.Wk(k), batch_size)
        v = self.split_heads(self.Wv(v), batch_size)

        attn = torch.matmul(q, k.permute(0, 1, 3, 2)) / math.sqrt(self.depth)
        attn = attn.masked_fill(~mask.bool().unsqueeze(1), float('-inf'))
        attn = torch.softmax(attn, dim=-1)

        out = torch.matmul(attn, v)                       # (N, num_heads, T_q, depth)
        out = out.permute(0, 2, 1, 3).contiguous()
        out = out.view(batch_size, -1, self.d_model)      # the heads side by side again
        return self.dense(out), attn
