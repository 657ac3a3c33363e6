"""The layers are right, but GPT.forward builds its causal mask as max_len x max_len instead of seq_len x seq_len. Training on windows of exactly max_len tokens works; any shorter input stops with a RuntimeError (the mask's size does not match the scores'): the GPT's own tests, and generating from a three-word prompt with the trained model in the visible test. generate_text itself is right, and its hidden tests, which drive it with small models of their own, keep their points. In the extra credit, the visible test's generation without the cache goes through GPT.forward and stops the same way; the cached generation and the sampling filters never call it and keep theirs."""
# base: solution
# expect: fail test_gpt_visible test_gpt_hidden test_gpt_causal test_generate_text_visible test_kv_cache_visible
# keep: test_generate_text_hidden test_attention_step_hidden test_generate_cached_hidden test_sampling_filters_visible test_top_k_hidden test_top_p_hidden test_training_loss test_train_step_visible test_train_step_hidden test_positional_encoding_visible test_positional_encoding_hidden test_multi_head_attention_visible test_multi_head_attention_hidden test_transformer_block_visible test_transformer_block_hidden test_labels_visible test_labels_hidden
# %% gpt_model
class GPT(nn.Module):

    def __init__(self, vocab_size, d_model, num_heads, d_ff, num_layers, max_len):
        super(GPT, self).__init__()
        self.max_len = max_len
        self.embedding = nn.Embedding(vocab_size, d_model)
        self.positional_encoding = PositionalEncoding(d_model, max_len)
        self.layers = nn.ModuleList([TransformerBlock(d_model, num_heads) for _ in range(num_layers)])
        self.fc_out = nn.Linear(d_model, vocab_size)

    def forward(self, x):
        x = self.embedding(x)
        x = self.positional_encoding(x)
        mask = torch.tril(torch.ones(self.max_len, self.max_len, device=x.device))   # sized for the longest input only
        for layer in self.layers:
            x = layer(x, mask)
        return self.fc_out(x)
