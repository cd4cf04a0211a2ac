# %% A model for flattened 8×8 images, and a convolution for 1-channel images
import numpy as np
import torch
from torch import nn

torch.manual_seed(0)
model = nn.Sequential(nn.Linear(64, 32), nn.ReLU(), nn.Linear(32, 10))
conv = nn.Conv2d(1, 16, kernel_size=3)

# %% Shape: images not flattened tags=["raises-exception"] mistake="shape" operation="linear|addmm|\\bmm\\b" offending=[[16, 8, 8], [64]]
images = torch.zeros(16, 8, 8)
model(images)

# %% Dtype: float64 data from NumPy tags=["raises-exception"] mistake="dtype" operation="linear|addmm|\\bmm\\b" offending=["double|float64", "float(?!64)|float32"]
features = torch.from_numpy(np.random.rand(16, 64))
model(features)

# %% Layout: channels-last images into a channels-first convolution tags=["raises-exception"] mistake="layout" operation="conv" offending=[[16, 8, 8, 1]]
batch = torch.zeros(16, 8, 8, 1)
conv(batch)
