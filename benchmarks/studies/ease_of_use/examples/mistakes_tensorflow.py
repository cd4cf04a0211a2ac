# %% A model for flattened 8×8 images, and a convolution for 1-channel images
import keras
import numpy as np
import tensorflow as tf

keras.utils.set_random_seed(0)
model = keras.Sequential([keras.Input(shape=(64,)), keras.layers.Dense(32, activation="relu"),
                          keras.layers.Dense(10)])
conv = keras.Sequential([keras.Input(shape=(8, 8, 1)), keras.layers.Conv2D(16, 3)])

# %% Shape: images not flattened tags=["raises-exception"] mistake="shape" operation="dense" offending=[[16, 8, 8], [64]]
images = tf.zeros((16, 8, 8))
model(images)

# %% Dtype: float64 targets from NumPy in a hand-written loss tags=["raises-exception"] mistake="dtype" operation="\\bsub\\b|subtract" offending=["double|float64", "float(?!64)|float32"]
targets = tf.constant(np.random.rand(16, 10))
loss = tf.reduce_mean(tf.square(model(tf.zeros((16, 64))) - targets))

# %% Layout: channels-first images into a channels-last convolution tags=["raises-exception"] mistake="layout" operation="conv2d" offending=[[16, 1, 8, 8]]
batch = tf.zeros((16, 1, 8, 8))
conv(batch)
