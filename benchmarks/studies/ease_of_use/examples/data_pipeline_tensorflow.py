# %% A dataset: a stream of elements
import tensorflow as tf
from sklearn.datasets import load_digits

digits = load_digits()
dataset = tf.data.Dataset.from_tensor_slices((digits.images[..., None] / 16, digits.target))

# %% Shuffle, batch, and prefetch in the background
pipeline = (dataset
            .map(lambda image, label: (tf.cast(image, tf.float32), label))
            .shuffle(buffer_size=len(digits.images), seed=0)
            .batch(64)
            .prefetch(tf.data.AUTOTUNE))
for images, labels in pipeline.take(1):
    print("batch:", tuple(images.shape), images.dtype.name, "labels:", labels[:8].numpy().tolist())
print("batches per epoch:", int(pipeline.cardinality()))
