"""Fabricated: F.cross_entropy is replaced by a made-up falling series with no gradient, so the printed loss falls while the model learns nothing."""
# base: solution
# expect: fail test_training_visible test_training_hidden
# keep: test_masks_visible test_masks_hidden test_multihead_attention_visible test_multihead_attention_hidden test_decoder_layer_visible test_decoder_layer_hidden test_heatmap_visible test_heatmap_hidden test_causality_probe_visible test_causality_probe_hidden
# %% plot_attention_heatmaps
def plot_attention_heatmaps(layer_weights, x_labels, y_labels, title):
    """A (num_layers x num_heads) grid of heatmaps, one per head of each layer; returns the Figure."""
    # 힌트 / Hint: plt.subplots(층 수, 헤드 수, squeeze=False), 칸마다 sns.heatmap(..., ax=ax, vmin=0, vmax=1, cbar=False)
    #              plt.subplots(num_layers, num_heads, squeeze=False), then sns.heatmap(..., ax=ax, ...) per cell; return fig
    num_layers, num_heads = len(layer_weights), layer_weights[0].shape[0]
    fig, axes = plt.subplots(num_layers, num_heads, figsize=(3.2 * num_heads, 2.8 * num_layers + 0.6),
                             squeeze=False)
    for layer in range(num_layers):
        for head in range(num_heads):
            ax = axes[layer, head]
            weights = torch.as_tensor(layer_weights[layer][head]).detach().cpu().numpy()
            sns.heatmap(weights, ax=ax, cmap="viridis", vmin=0.0, vmax=1.0, cbar=False,
                        xticklabels=x_labels, yticklabels=y_labels)
            ax.tick_params(labelsize=7)
            ax.set_title(f"layer {layer + 1}, head {head + 1}", fontsize=9)
            if head == 0:
                ax.set_ylabel("query")
            if layer == num_layers - 1:
                ax.set_xlabel("key")
    fig.suptitle(title)
    fig.tight_layout()
    return fig


_true_cross_entropy = F.cross_entropy
_calls = [0]


def _falling_cross_entropy(input, target, *args, **kwargs):
    """4 / (1 + calls): looks like a loss that falls, but its gradient is zero."""
    _calls[0] += 1
    return _true_cross_entropy(input, target, *args, **kwargs) * 0.0 + 4.0 / (1 + _calls[0])


F.cross_entropy = _falling_cross_entropy
