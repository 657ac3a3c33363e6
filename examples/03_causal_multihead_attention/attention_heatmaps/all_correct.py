"""A fully correct submission, with cells written the way a student would (other names, small detours)."""
# base: solution
# expect: full
# %% masks
def make_pad_mask(q, k):
    """Keys that are real tokens may be attended to, by every query."""
    key_is_real = k.ne(PAD_ID)                 # (N, T_k)
    return key_is_real[:, None, :].repeat(1, q.shape[1], 1)


def make_causal_mask(trg):
    n, t = trg.shape
    allowed = torch.zeros(n, t, t, dtype=torch.bool)
    for i in range(t):
        allowed[:, i, :i + 1] = True           # the past and the token itself
    return allowed
# %% TrasformerDecoderLayer
# Decoder layer: masked multi-head self-attention, multi-head cross-attention, feed-forward
class TrasformerDecoderLayer(nn.Module):
    def __init__(self, d_model, num_heads, dff, dropout_rate):
        super(TrasformerDecoderLayer, self).__init__()
        self.mha1 = MultiHeadAttention(d_model, num_heads)
        self.mha2 = MultiHeadAttention(d_model, num_heads)
        self.ffn = nn.Sequential(
            nn.Linear(d_model, dff),
            nn.ReLU(),
            nn.Linear(dff, d_model)
        )
        self.layer_norm1 = nn.LayerNorm(d_model)
        self.layer_norm2 = nn.LayerNorm(d_model)
        self.layer_norm3 = nn.LayerNorm(d_model)
        self.dropout1 = nn.Dropout(dropout_rate)
        self.dropout2 = nn.Dropout(dropout_rate)
        self.dropout3 = nn.Dropout(dropout_rate)

    def forward(self, x, enc_output, look_ahead_mask, padding_mask):
        self_attn, attn_weights1 = self.mha1(x, x, x, look_ahead_mask)
        x = self.layer_norm1(x + self.dropout1(self_attn))
        cross, attn_weights2 = self.mha2(x, enc_output, enc_output, padding_mask)
        x = self.layer_norm2(x + self.dropout2(cross))
        x = self.layer_norm3(x + self.dropout3(self.ffn(x)))
        return x, attn_weights1, attn_weights2
# %% causality_probe
def causality_probe(scores_of, trg, start, new_token, atol=1e-5):
    future_changed = trg.clone()
    future_changed[:, start:] = new_token
    with torch.no_grad():
        old_scores = scores_of(trg)
        new_scores = scores_of(future_changed)
    change = (new_scores - old_scores).abs().max(dim=2).values.max(dim=0).values   # (T_dec,)
    looks_ahead = change[:start].max().item() > atol
    return change, looks_ahead
