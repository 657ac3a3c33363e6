"""The masks, MultiHeadAttention and the heatmap function are right; the decoder layer's forward uses self.layernorm1, a name its __init__ never defines (it made layer_norm1), so it stops with an AttributeError in the visible test and in every later cell that runs the Transformer: the heatmaps before and after training and the training itself. The causality probe, tested on toy decoders, keeps its points."""
# base: solution
# expect: fail test_decoder_layer_visible test_decoder_layer_hidden test_training_visible test_training_hidden
# keep: test_masks_visible test_masks_hidden test_multihead_attention_visible test_multihead_attention_hidden test_heatmap_visible test_heatmap_hidden test_causality_probe_visible test_causality_probe_hidden
# %% TrasformerDecoderLayer
class TrasformerDecoderLayer(nn.Module):
    """Masked self-attention, cross-attention over the encoder's output, feed-forward; each with Add & Norm."""

    def __init__(self, d_model, num_heads, dff, dropout_rate):
        super(TrasformerDecoderLayer, self).__init__()
        self.mha1 = MultiHeadAttention(d_model, num_heads)
        self.mha2 = MultiHeadAttention(d_model, num_heads)
        self.ffn = nn.Sequential(nn.Linear(d_model, dff), nn.ReLU(), nn.Linear(dff, d_model))
        self.layer_norm1 = nn.LayerNorm(d_model)
        self.layer_norm2 = nn.LayerNorm(d_model)
        self.layer_norm3 = nn.LayerNorm(d_model)
        self.dropout1 = nn.Dropout(dropout_rate)
        self.dropout2 = nn.Dropout(dropout_rate)
        self.dropout3 = nn.Dropout(dropout_rate)

    def forward(self, x, enc_output, look_ahead_mask, padding_mask):
        attn1, attn_weights1 = self.mha1(x, x, x, look_ahead_mask)
        out1 = self.layernorm1(x + self.dropout1(attn1))
        attn2, attn_weights2 = self.mha2(out1, enc_output, enc_output, padding_mask)
        out2 = self.layernorm2(out1 + self.dropout2(attn2))
        out3 = self.layernorm3(out2 + self.dropout3(self.ffn(out2)))
        return out3, attn_weights1, attn_weights2
