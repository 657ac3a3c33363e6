"""Heatmaps with imshow over axes.flat, labels set by hand, one shared colour scale, no seaborn."""
# base: solution
# expect: full
# %% plot_attention_heatmaps
def plot_attention_heatmaps(layer_weights, x_labels, y_labels, title):
    num_layers = len(layer_weights)
    num_heads = layer_weights[0].shape[0]
    fig, axes = plt.subplots(num_layers, num_heads, figsize=(3 * num_heads, 3 * num_layers), squeeze=False)
    for index, ax in enumerate(axes.flat):
        layer, head = divmod(index, num_heads)   # row-major: layer rows, head columns
        ax.imshow(layer_weights[layer][head].detach().numpy(), cmap="magma", vmin=0, vmax=1, aspect="auto")
        ax.set_xticks(range(len(x_labels)), x_labels, fontsize=7)
        ax.set_yticks(range(len(y_labels)), y_labels, fontsize=7)
        ax.set_title(f"L{layer + 1} H{head + 1}")
    fig.suptitle(title)
    return fig
