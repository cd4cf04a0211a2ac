# %% Inspect an intermediate activation: a second model that ends at that layer
import keras
import tensorflow as tf

keras.utils.set_random_seed(0)
model = keras.Sequential([keras.Input(shape=(4,)), keras.layers.Dense(8), keras.layers.ReLU(),
                          keras.layers.Dense(2)])
probe = keras.Model(inputs=model.inputs, outputs=model.layers[1].output)
relu = probe(tf.random.normal((3, 4)))
print("ReLU output:", tuple(relu.shape), "zeros:", int(tf.reduce_sum(tf.cast(relu == 0, tf.int32))))

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

# %% Step into a tf.function: breakpoint() stops only while tracing, on symbolic tensors
dense = keras.layers.Dense(2)


@tf.function
def forward(x):
    breakpoint()
    h = dense(x)
    return tf.nn.relu(h)


forward(tf.ones((3, 4)))
print("second call, same shape: no stop (no retrace)")
forward(tf.ones((3, 4)))

# %% Run tf.functions eagerly: breakpoint() stops at every call, with values
tf.config.run_functions_eagerly(True)
forward(tf.ones((3, 4)))
tf.config.run_functions_eagerly(False)
