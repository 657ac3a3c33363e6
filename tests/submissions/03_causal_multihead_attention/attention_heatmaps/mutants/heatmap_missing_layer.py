"""The grid has one row only: every layer is drawn into the same row, so the last layer overwrites."""
# base: solution
# expect: fail test_heatmap_visible test_heatmap_hidden
# keep: test_training_hidden test_causality_probe_visible test_causality_probe_hidden
# %% plot_attention_heatmaps
def plot_attention_heatmaps(layer_weights, x_labels, y_labels, title):
    """A (num_layers x num_heads) grid of heatmaps, one per head of each layer; returns the Figure."""
    # 힌트 / Hint: plt.subplots(층 수, 헤드 수, squeeze=False), 칸마다 sns.heatmap(..., ax=ax, vmin=0, vmax=1, cbar=False)
    #              plt.subplots(num_layers, num_heads, squeeze=False), then sns.heatmap(..., ax=ax, ...) per cell; return fig
    num_layers, num_heads = len(layer_weights), layer_weights[0].shape[0]
    fig, axes = plt.subplots(1, num_heads, figsize=(3.2 * num_heads, 2.8 * num_layers + 0.6),
                             squeeze=False)
    for layer in range(num_layers):
        for head in range(num_heads):
            ax = axes[0, head]
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
