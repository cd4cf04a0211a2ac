# %% Train a little, then save model, optimiser and progress
import keras
from sklearn.datasets import load_digits

digits = load_digits()
x, y = digits.data / 16, digits.target


def make():
    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.Input(shape=(64,)), keras.layers.Dense(32, activation="relu"),
                              keras.layers.Dense(10)])
    model.compile(optimizer=keras.optimizers.Adam(1e-2),
                  loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
    return model


model = make()
history = model.fit(x, y, batch_size=len(x), epochs=5, verbose=0)
print("loss after 5 epochs:", round(history.history["loss"][-1], 4))
model.save("checkpoint.keras")  # architecture, weights, optimiser state

# %% Reload and resume
model = keras.models.load_model("checkpoint.keras")
print("optimiser steps so far:", int(model.optimizer.iterations))
history = model.fit(x, y, batch_size=len(x), initial_epoch=5, epochs=10, verbose=0)
print("loss after 5 more epochs:", round(history.history["loss"][-1], 4))
