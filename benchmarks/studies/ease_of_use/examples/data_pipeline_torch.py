# %% A dataset: indexable, with a length
import torch
from sklearn.datasets import load_digits
from torch.utils.data import DataLoader, TensorDataset

digits = load_digits()
dataset = TensorDataset(torch.tensor(digits.images, dtype=torch.float32).unsqueeze(1) / 16,
                        torch.tensor(digits.target))

# %% Shuffle, batch, and prefetch in worker processes
loader = DataLoader(dataset, batch_size=64, shuffle=True, num_workers=2, prefetch_factor=2,
                    generator=torch.Generator().manual_seed(0))
for images, labels in loader:
    print("batch:", tuple(images.shape), images.dtype, "labels:", labels[:8].tolist())
    break
print("batches per epoch:", len(loader))
