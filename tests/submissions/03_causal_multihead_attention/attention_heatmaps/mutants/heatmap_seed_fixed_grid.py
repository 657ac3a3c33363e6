"""The seed's plot: a fixed 2 x 4 grid indexed axes[head // 4, head % 4], drawing layer 1 only."""
# base: solution
# expect: fail test_heatmap_visible test_heatmap_hidden
# keep: test_training_hidden
# %% plot_attention_heatmaps
def plot_attention_heatmaps(layer_weights, x_labels, y_labels, title):
    """A (num_layers x num_heads) grid of heatmaps, one per head of each layer; returns the Figure."""
    # 힌트 / Hint: plt.subplots(층 수, 헤드 수, squeeze=False), 칸마다 sns.heatmap(..., ax=ax, vmin=0, vmax=1, cbar=False)
    #              plt.subplots(num_layers, num_heads, squeeze=False), then sns.heatmap(..., ax=ax, ...) per cell; return fig
    num_layers, num_heads = len(layer_weights), layer_weights[0].shape[0]
    fig, axes = plt.subplots(2, 4, figsize=(16, 8))
    for layer in range(1):
        for head in range(num_heads):
            ax = axes[head // 4, head % 4]
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
