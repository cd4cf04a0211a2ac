# %% Data and model
import keras
import tensorflow as tf
from sklearn.datasets import load_digits

digits = load_digits()
images = tf.constant(digits.images[..., None] / 16, dtype=tf.float32)
labels = tf.constant(digits.target)
keras.utils.set_random_seed(0)
model = keras.Sequential([keras.Input(shape=(8, 8, 1)), keras.layers.Flatten(),
                          keras.layers.Dense(64, activation="relu"), keras.layers.Dense(10)])
optimizer = keras.optimizers.Adam(learning_rate=1e-2)
loss_fn = keras.losses.SparseCategoricalCrossentropy(from_logits=True)

# %% The low-level loop: GradientTape
@tf.function
def train_step(x, y):
    with tf.GradientTape() as tape:
        loss = loss_fn(y, model(x, training=True))
    gradients = tape.gradient(loss, model.trainable_variables)
    optimizer.apply_gradients(zip(gradients, model.trainable_variables))
    return loss


for epoch in range(3):
    for start in range(0, len(images), 64):
        loss = train_step(images[start:start + 64], labels[start:start + 64])
    print(f"epoch {epoch}: loss {float(loss):.3f}")

# %% The high-level loop: compile and fit
model.compile(optimizer="adam", loss=loss_fn, metrics=["accuracy"])
history = model.fit(images, labels, batch_size=64, epochs=2, verbose=2)
