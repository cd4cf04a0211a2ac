# %% Data and model
import torch
from sklearn.datasets import load_digits
from torch import nn

digits = load_digits()
images = torch.tensor(digits.images, dtype=torch.float32).unsqueeze(1) / 16
labels = torch.tensor(digits.target)
torch.manual_seed(0)
model = nn.Sequential(nn.Flatten(), nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 10))
optimizer = torch.optim.Adam(model.parameters(), lr=1e-2)
loss_fn = nn.CrossEntropyLoss()

# %% The low-level loop: forward, backward, step
model.train()
for epoch in range(3):
    for start in range(0, len(images), 64):
        x, y = images[start:start + 64], labels[start:start + 64]
        optimizer.zero_grad()
        loss = loss_fn(model(x), y)
        loss.backward()
        optimizer.step()
    print(f"epoch {epoch}: loss {loss.item():.3f}")

# %% The high-level loop: core PyTorch has no fit(); Keras 3 runs one on the torch backend
import os

os.environ["KERAS_BACKEND"] = "torch"  # before keras is imported
import keras

wrapped = keras.Sequential([keras.Input(shape=(1, 8, 8)), keras.layers.TorchModuleWrapper(model)])
wrapped.compile(optimizer="adam", loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
                metrics=["accuracy"])
history = wrapped.fit(images.numpy(), labels.numpy(), batch_size=64, epochs=2, verbose=2)
print("backend:", keras.backend.backend())
