"""The visible tests all pass, but two shortcuts cost hidden points. The decoder layer hands back its outputs and weights with .detach() (a quick way past "Can't call numpy() on Tensor that requires grad" while drawing), so no gradient reaches the layers below and the short training falls behind the reference. And plot_attention_heatmaps calls plt.subplots without squeeze=False: the 2 x 2 grid of the visible test works, a grid of one layer or one head does not."""
# base: solution
# expect: fail test_training_hidden test_heatmap_hidden
# keep: test_masks_visible test_masks_hidden test_multihead_attention_visible test_multihead_attention_hidden test_decoder_layer_visible test_decoder_layer_hidden test_heatmap_visible test_training_visible test_causality_probe_visible test_causality_probe_hidden
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
        out1 = self.layer_norm1(x + self.dropout1(attn1))
        attn2, attn_weights2 = self.mha2(out1, enc_output, enc_output, padding_mask)
        out2 = self.layer_norm2(out1 + self.dropout2(attn2))
        out3 = self.layer_norm3(out2 + self.dropout3(self.ffn(out2)))
        # detached so that the heatmaps can call .numpy() on the weights
        return out3.detach(), attn_weights1.detach(), attn_weights2.detach()
# %% plot_attention_heatmaps
def plot_attention_heatmaps(layer_weights, x_labels, y_labels, title):
    """A (num_layers x num_heads) grid of heatmaps, one per head of each layer; returns the Figure."""
    num_layers, num_heads = len(layer_weights), layer_weights[0].shape[0]
    fig, axes = plt.subplots(num_layers, num_heads, figsize=(3.2 * num_heads, 2.8 * num_layers + 0.6))
    for layer in range(num_layers):
        for head in range(num_heads):
            ax = axes[layer, head]
            sns.heatmap(torch.as_tensor(layer_weights[layer][head]).detach().numpy(), ax=ax, cmap="viridis",
                        vmin=0.0, vmax=1.0, cbar=False, xticklabels=x_labels, yticklabels=y_labels)
            ax.set_title(f"layer {layer + 1}, head {head + 1}", fontsize=9)
    fig.suptitle(title)
    fig.tight_layout()
    return fig
