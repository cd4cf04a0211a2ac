# %% Define a small CNN for 8×8 grey images
import keras
from keras import layers

model = keras.Sequential([
    keras.Input(shape=(8, 8, 1)),
    layers.Conv2D(16, 3, padding="same", activation="relu"), layers.MaxPooling2D(2),
    layers.Conv2D(32, 3, padding="same", activation="relu"), layers.MaxPooling2D(2),
    layers.Flatten(),
    layers.Dense(10),
])
model.summary()

# %% Count its parameters
print(f"{model.count_params()} parameters")
print("output shape:", model.output_shape)
