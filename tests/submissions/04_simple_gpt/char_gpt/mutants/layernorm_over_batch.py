"""LayerNorm1d normalises each feature over the batch (BatchNorm), axis 0 instead of 1."""
# base: solution
# expect: fail test_layernorm1d_visible test_layernorm1d_hidden
# %% layernorm1d
class LayerNorm1d:  # (used to be BatchNorm1d)

    def __init__(self, dim, eps=1e-5, momentum=0.1):
        self.eps = eps
        self.gamma = torch.ones(dim)
        self.beta = torch.zeros(dim)

    def __call__(self, x):
        # 힌트 / Hint: mean과 var를 축 1로, keepdim=True / mean and var along axis 1, keepdim=True
        xmean = x.mean(0, keepdim=True)   # mean of each sample's features
        xvar = x.var(0, keepdim=True)     # variance of each sample's features
        xhat = (x - xmean) / torch.sqrt(xvar + self.eps)
        self.out = self.gamma * xhat + self.beta
        return self.out

    def parameters(self):
        return [self.gamma, self.beta]


torch.manual_seed(1337)
module = LayerNorm1d(100)
x = torch.randn(32, 100)   # a batch of 32 100-dimensional vectors
x = module(x)
print(x.shape)
print("one feature across the batch:", x[:, 0].mean(), x[:, 0].std())
print("one sample across its features:", x[0, :].mean(), x[0, :].std())
