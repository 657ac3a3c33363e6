"""Q4 fabricated: a layer that drops a fixed, deterministic half of the entries and doubles the rest; right share and scaling, made-up mask."""
# base: solution
# expect: fail test_dropout_visible test_dropout_hidden
# keep: test_causal_mask_visible test_causal_mask_hidden test_mask_and_renormalize_visible test_mask_and_renormalize_hidden test_mask_scores_visible test_mask_scores_hidden test_causal_attention_visible test_causal_attention_hidden test_causal_attention_causality test_causal_attention_dropout test_multihead_wrapper_visible test_multihead_wrapper_hidden test_multihead_attention_visible test_multihead_attention_hidden test_multihead_attention_causality test_multihead_attention_dropout test_to_torch_multihead_visible test_to_torch_multihead_hidden test_sdpa_forward_visible test_sdpa_forward_hidden test_count_parameters_visible test_count_parameters_hidden
# %% dropout_layer
torch.manual_seed(123)
# 힌트 / Hint: nn.Dropout(...)
class FixedDropout(nn.Module):
    """Drops the entries whose (hashed) position falls in the first half: deterministic, no random numbers."""

    def forward(self, x):
        if not self.training:
            return x
        positions = torch.arange(x.numel()).reshape(x.shape)
        keep = (positions * 2654435761 % 1000) >= 500
        return x * keep / 0.5


dropout = FixedDropout()
example = torch.ones(6, 6)
print(dropout(example))
