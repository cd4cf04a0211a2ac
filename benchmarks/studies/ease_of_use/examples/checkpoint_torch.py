# %% Train a little, then save model, optimiser and progress
import torch
from sklearn.datasets import load_digits
from torch import nn

digits = load_digits()
x = torch.tensor(digits.data, dtype=torch.float32) / 16
y = torch.tensor(digits.target)


def make():
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(64, 32), nn.ReLU(), nn.Linear(32, 10))
    return model, torch.optim.Adam(model.parameters(), lr=1e-2)


def train(model, optimizer, epochs):
    for _ in range(epochs):
        optimizer.zero_grad()
        loss = nn.functional.cross_entropy(model(x), y)
        loss.backward()
        optimizer.step()
    return loss.item()


model, optimizer = make()
print("loss after 5 epochs:", round(train(model, optimizer, 5), 4))
torch.save({"model": model.state_dict(), "optimizer": optimizer.state_dict(), "epoch": 5}, "checkpoint.pt")

# %% Reload into fresh objects and resume
model, optimizer = make()
checkpoint = torch.load("checkpoint.pt")
model.load_state_dict(checkpoint["model"])
optimizer.load_state_dict(checkpoint["optimizer"])
print("resumed at epoch", checkpoint["epoch"])
print("loss after 5 more epochs:", round(train(model, optimizer, 5), 4))
