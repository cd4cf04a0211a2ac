# %% A function with its own backward: clip the gradient that flows through it
import torch
from torch import nn


class ClipGradient(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        return x.clone()

    @staticmethod
    def backward(ctx, grad_output):
        return grad_output.clamp(-0.1, 0.1)


# %% A layer that uses it
class ClippedLinear(nn.Module):
    def __init__(self, n_in, n_out):
        super().__init__()
        self.linear = nn.Linear(n_in, n_out)

    def forward(self, x):
        return ClipGradient.apply(self.linear(x))


# %% The gradient really is clipped
torch.manual_seed(0)
layer = ClippedLinear(4, 2)
x = torch.randn(3, 4)
(layer(x) * 100).sum().backward()
print("bias gradient:", layer.linear.bias.grad)
print("without clipping it would be:", (torch.ones(3, 2) * 100).sum(0))
