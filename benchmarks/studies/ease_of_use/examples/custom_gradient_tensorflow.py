# %% A function with its own gradient: clip the gradient that flows through it
import keras
import tensorflow as tf


@tf.custom_gradient
def clip_gradient(x):
    def grad(upstream):
        return tf.clip_by_value(upstream, -0.1, 0.1)

    return tf.identity(x), grad


# %% A layer that uses it
class ClippedDense(keras.layers.Layer):
    def __init__(self, units):
        super().__init__()
        self.dense = keras.layers.Dense(units)

    def call(self, x):
        return clip_gradient(self.dense(x))


# %% The gradient really is clipped
keras.utils.set_random_seed(0)
layer = ClippedDense(2)
x = tf.random.normal((3, 4))
with tf.GradientTape() as tape:
    loss = tf.reduce_sum(layer(x) * 100)
print("bias gradient:", tape.gradient(loss, layer.dense.bias).numpy())
print("without clipping it would be:", tf.reduce_sum(tf.ones((3, 2)) * 100, axis=0).numpy())
