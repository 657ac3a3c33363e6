"""Fabricated: the decoder layer returns zeros of the right shape (its weights are real): its output does not depend on its input."""
# base: solution
# expect: fail test_decoder_layer_hidden
# keep: test_masks_visible test_masks_hidden test_multihead_attention_visible test_multihead_attention_hidden test_heatmap_visible test_heatmap_hidden
# %% TrasformerDecoderLayer
# Decoder layer: masked multi-head self-attention, multi-head cross-attention, feed-forward
class TrasformerDecoderLayer(nn.Module):
    def __init__(self, d_model, num_heads, dff, dropout_rate):
        super(TrasformerDecoderLayer, self).__init__()
        # two multi-head attentions: masked self-attention, then cross-attention over the encoder's output
        self.mha1 = MultiHeadAttention(d_model, num_heads)
        self.mha2 = MultiHeadAttention(d_model, num_heads)
        self.ffn = nn.Sequential(
            nn.Linear(d_model, dff),
            nn.ReLU(),
            nn.Linear(dff, d_model)
        )
        # three Add & Norm blocks
        self.layer_norm1 = nn.LayerNorm(d_model)
        self.layer_norm2 = nn.LayerNorm(d_model)
        self.layer_norm3 = nn.LayerNorm(d_model)
        self.dropout1 = nn.Dropout(dropout_rate)
        self.dropout2 = nn.Dropout(dropout_rate)
        self.dropout3 = nn.Dropout(dropout_rate)

    def forward(self, x, enc_output, look_ahead_mask, padding_mask):
        """x (N, T_dec, d_model), enc_output (N, T_enc, d_model) -> (out3, attn_weights1, attn_weights2)."""
        # 힌트 / Hint: mha1(x, x, x, 룩어헤드 마스크) -> Add & Norm -> mha2(out1, 인코더 출력 두 번, 패딩 마스크) -> Add & Norm -> ffn -> Add & Norm
        #              mha1(x, x, x, look-ahead mask), Add & Norm, mha2(out1, enc_output, enc_output, padding mask), Add & Norm, ffn, Add & Norm
        attn1, attn_weights1 = self.mha1(x, x, x, look_ahead_mask)
        attn1 = self.dropout1(attn1)
        out1 = self.layer_norm1(x + attn1)

        attn2, attn_weights2 = self.mha2(out1, enc_output, enc_output, padding_mask)
        attn2 = self.dropout2(attn2)
        out2 = self.layer_norm2(out1 + attn2)

        ffn_output = self.ffn(out2)
        ffn_output = self.dropout3(ffn_output)
        out3 = self.layer_norm3(out2 + ffn_output)
        return torch.zeros_like(out3), attn_weights1, attn_weights2
