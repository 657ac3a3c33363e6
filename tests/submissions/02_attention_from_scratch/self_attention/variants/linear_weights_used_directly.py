"""Correct: SelfAttention_v2 keeps its nn.Linear layers (the API the tests use) but computes with their raw weight and bias (F.linear, x @ W.T + b); the step-by-step scales queries and keys by d_k ** 0.25 each."""
# base: solution
# expect: full
# %% self_attention_v2
import torch.nn.functional as F


class SelfAttention_v2(nn.Module):
    def __init__(self, d_in, d_out, qkv_bias=False):
        super().__init__()
        self.W_query = nn.Linear(d_in, d_out, bias=qkv_bias)
        self.W_key = nn.Linear(d_in, d_out, bias=qkv_bias)
        self.W_value = nn.Linear(d_in, d_out, bias=qkv_bias)

    def _project(self, layer, x):
        out = x @ layer.weight.T
        if layer.bias is not None:
            out = out + layer.bias
        return out

    def forward(self, x):
        keys = self._project(self.W_key, x)
        queries = F.linear(x, self.W_query.weight, self.W_query.bias)
        values = self._project(self.W_value, x)
        scale = keys.shape[-1] ** 0.25
        attn_weights = torch.softmax((queries / scale) @ (keys / scale).T, dim=-1)
        return attn_weights @ values
