"""The untouched release: every solution cell still raises NotImplementedError and the answer cells are empty."""
# base: release
# expect: fail test_masks_visible test_masks_hidden test_multihead_attention_visible test_multihead_attention_hidden test_decoder_layer_visible test_decoder_layer_hidden test_heatmap_visible test_heatmap_hidden test_training_visible test_training_hidden test_causality_probe_visible test_causality_probe_hidden
