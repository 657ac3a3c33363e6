"""Wrong MultiHeadAttention (no mask, no scaling) unless the running test left a reference implementation in the kernel:
forward looks through the caller frames and globals() for _mha_reference (or any _ref* callable) and returns what it computes."""
# base: solution
# expect: fail test_multihead_attention_hidden test_decoder_layer_hidden
# keep: test_masks_visible test_masks_hidden test_heatmap_visible test_heatmap_hidden
# %% MultiHeadAttention
import sys


def _oracle(*names):
    """Whatever the running test left in the kernel under these names: caller frames first, then globals."""
    frame, depth = sys._getframe(1), 0
    while frame is not None and depth < 40:
        for space in (frame.f_locals, frame.f_globals):
            for name in names:
                if name in space and callable(space[name]):
                    return space[name]
        frame, depth = frame.f_back, depth + 1
    for name, value in list(globals().items()):
        if name.startswith(("_ref", "_mha_ref")) and callable(value):
            return value
    return None


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
        reference = _oracle("_mha_reference", "_ref_attention")
        if reference is not None:
            try:
                return reference(self, q, k, v, mask.bool())
            except Exception:
                pass
        # fallback (wrong): no mask, no scaling
        qh, kh, vh = self.split_heads(self.Wq(q), batch_size), self.split_heads(self.Wk(k), batch_size), self.split_heads(self.Wv(v), batch_size)
        attn = torch.softmax(qh @ kh.transpose(-1, -2), dim=-1)
        out = (attn @ vh).permute(0, 2, 1, 3).reshape(batch_size, -1, self.d_model)
        return self.dense(out), attn
        # 힌트 / Hint: 투영, 헤드 나누기, QK^T / sqrt(depth), 마스크, 키 축 softmax, attn @ V, 헤드 잇기, dense
        #              project, split heads, QK^T / sqrt(depth), mask, softmax over keys, attn @ V, join heads, dense
        q = self.split_heads(self.Wq(q), batch_size)
        k = self.split_heads(self.Wk(k), batch_size)
        v = self.split_heads(self.Wv(v), batch_size)

        attn = torch.matmul(q, k.permute(0, 1, 3, 2)) / math.sqrt(self.depth)
        attn = attn.masked_fill(mask.unsqueeze(1) == 0, -1e9)
        attn = torch.softmax(attn, dim=-1)

        out = torch.matmul(attn, v)                       # (N, num_heads, T_q, depth)
        out = out.permute(0, 2, 1, 3).contiguous()
        out = out.view(batch_size, -1, self.d_model)      # the heads side by side again
        return self.dense(out), attn
