# %% Define a small CNN for 8×8 grey images
import torch
from torch import nn

model = nn.Sequential(
    nn.Conv2d(1, 16, kernel_size=3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
    nn.Conv2d(16, 32, kernel_size=3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
    nn.Flatten(),
    nn.Linear(32 * 2 * 2, 10),
)
print(model)

# %% Count its parameters
n_parameters = sum(p.numel() for p in model.parameters())
print(f"{n_parameters} parameters")
print("output shape:", tuple(model(torch.zeros(1, 1, 8, 8)).shape))
