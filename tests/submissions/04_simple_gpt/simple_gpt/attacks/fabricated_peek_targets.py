"""A model that never learns (train_step does not step) but, when evaluated, the trained model returns logits peaked on the probe's targets found in the caller's frames or globals, or else on the next input token (a leak of the future): it would pass a check that evaluates every position with the targets in the kernel."""
# base: solution
# expect: fail test_training_loss
# %% gpt_model
import sys


def _targets_nearby(shapes, inputs):
    """A long tensor of one of these shapes, other than the inputs, in any caller's locals or globals."""
    frames = []
    frame = sys._getframe(1)
    while frame is not None:
        frames.append(frame)
        frame = frame.f_back
    for scope in [f.f_locals for f in frames] + [f.f_globals for f in frames]:
        for value in list(scope.values()):
            if (isinstance(value, torch.Tensor) and value is not inputs and value.dtype == torch.long
                    and tuple(value.shape) in shapes):
                return value
    return None


# A simplified GPT
class GPT(nn.Module):

    def __init__(self, vocab_size, d_model, num_heads, d_ff, num_layers, max_len):
        super(GPT, self).__init__()
        self.max_len = max_len   # the longest sequence the positional encodings cover
        # B12 힌트 / Hint: 토큰 id -> d_model 차원 벡터: nn.Embedding / token id -> d_model-dimensional vector
        self.embedding = nn.Embedding(vocab_size, d_model)
        self.positional_encoding = PositionalEncoding(d_model, max_len)
        # num_layers transformer blocks
        self.layers = nn.ModuleList([TransformerBlock(d_model, num_heads) for _ in range(num_layers)])
        # B13 힌트 / Hint: 출력층: d_model -> vocab_size / the output layer
        self.fc_out = nn.Linear(d_model, vocab_size)

    def forward(self, x):
        self._last_input = x
        # embeddings plus positional encodings
        x = self.embedding(x)
        x = self.positional_encoding(x)
        seq_len = x.size(1)
        # M 힌트 / Hint: (seq_len, seq_len) 하삼각 행렬: 위치 t는 0..t만 본다 / a lower-triangular (seq_len, seq_len) matrix: position t sees 0..t only
        mask = torch.tril(torch.ones(seq_len, seq_len, device=x.device))
        for layer in self.layers:
            x = layer(x, mask)
        # the logits of the next token at every position
        logits = self.fc_out(x)
        if not self.training and self is globals().get('model'):   # only the trained model cheats
            B, T = logits.shape[:2]
            found = _targets_nearby({(B, T), (B,)}, self._last_input)
            peaked = logits.detach().clone()
            if found is not None:
                peaked[:, -1] = 3.0 * F.one_hot(found.reshape(B, -1)[:, -1], logits.size(-1)).float()
            peaked[:, :-1] = 3.0 * F.one_hot(self._last_input[:, 1:], logits.size(-1)).float()
            return peaked
        return logits
# %% train_step
def train_step(model, optimizer, criterion, inputs, labels):
    """One optimisation step on one batch; returns the loss as a float."""
    model.train()
    optimizer.zero_grad()                 # reset the accumulated gradients
    output = model(inputs)                # logits: (batch, seq_len, vocab_size)
    loss = criterion(output.reshape(-1, output.size(-1)), labels.reshape(-1))
    # B14 힌트 / Hint: 역전파로 기울기 계산 (메서드를 호출하세요) / compute the gradients by back-propagation (call the method)
    loss.backward()
    return loss.item()
