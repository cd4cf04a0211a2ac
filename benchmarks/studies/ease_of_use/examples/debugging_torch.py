# %% Inspect an intermediate activation with a forward hook
import torch
from torch import nn

torch.manual_seed(0)
model = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 2))
seen = {}
model[1].register_forward_hook(lambda module, inputs, output: seen.update(relu=output))
model(torch.randn(3, 4))
print("ReLU output:", tuple(seen["relu"].shape), "zeros:", int((seen["relu"] == 0).sum()))

# %% The run has no keyboard: feed pdb the commands a person would type
import io
import pdb
import sys


class Typed(io.StringIO):
    def readline(self, *args):
        line = super().readline(*args)
        print(line, end="")  # show the command after the (Pdb) prompt, as a terminal would
        return line


sys.breakpointhook = lambda: pdb.Pdb(stdin=Typed("p x.shape\nn\np h[0]\nc\n"), stdout=sys.stdout).set_trace(
    sys._getframe(1))


# %% Step into the forward pass: breakpoint() works in eager code, values and all
class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.linear = nn.Linear(4, 2)

    def forward(self, x):
        breakpoint()
        h = self.linear(x)
        return h.relu()


Net()(torch.ones(3, 4))
