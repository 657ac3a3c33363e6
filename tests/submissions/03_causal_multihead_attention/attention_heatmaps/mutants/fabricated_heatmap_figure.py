"""Fabricated: instead of a Figure, an object with the surface a test might read (axes with images whose arrays are the weights)."""
# base: solution
# expect: fail test_heatmap_visible test_heatmap_hidden
# keep: test_masks_visible test_masks_hidden test_multihead_attention_visible test_multihead_attention_hidden test_decoder_layer_visible test_decoder_layer_hidden test_training_visible test_training_hidden test_causality_probe_visible test_causality_probe_hidden
# %% plot_attention_heatmaps
from types import SimpleNamespace


def plot_attention_heatmaps(layer_weights, x_labels, y_labels, title):
    """Nothing is drawn: each 'axes' only carries the matrix a drawing would have shown."""
    axes = []
    for weights in layer_weights:
        for head in weights:
            image = SimpleNamespace(get_array=lambda m=head: torch.as_tensor(m).numpy(), get_visible=lambda: True)
            axes.append(SimpleNamespace(images=[image], collections=[], get_visible=lambda: True))
    return SimpleNamespace(axes=axes, suptitle=title)
