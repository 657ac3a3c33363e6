"""The padding mask hides padding QUERIES (rows) instead of padding keys."""
# base: solution
# expect: fail test_masks_visible test_masks_hidden test_decoder_layer_visible
# keep: test_multihead_attention_hidden test_heatmap_hidden test_causality_probe_visible test_causality_probe_hidden
# %% masks
def make_pad_mask(q, k):
    """(N, T_q, T_k) or (N, 1, T_k) mask, True where the key k[n, j] is not padding (PAD_ID)."""
    # 힌트 / Hint: 키 쪽 ids가 PAD_ID가 아닌 곳 -> (N, 1, T_k) / where the key ids differ from PAD_ID, as (N, 1, T_k)
    return (q != PAD_ID).unsqueeze(2).expand(-1, -1, k.size(1))


def make_causal_mask(trg):
    """(N, T, T) or (1, T, T) mask, True where key j <= query i (the past and the token itself)."""
    # 힌트 / Hint: 1로 채운 (T, T) 행렬의 아래 삼각형 (대각선 포함) / the lower triangle, diagonal included
    length = trg.size(1)
    lower = torch.tril(torch.ones(length, length, dtype=torch.bool, device=trg.device))
    return lower.unsqueeze(0).expand(trg.size(0), -1, -1)
