"""TensorFlow's export paths: SavedModel, the Keras format, TFLite/LiteRT and three tf2onnx routes.

tf2onnx is tried three ways because they do not fare alike under Keras 3: `from_keras`,
`from_function` on a tf.function around the model, and the command line on a SavedModel.
The TFLite file runs in LiteRT's interpreter (the ai-edge-litert package) where it installs,
else in the deprecated tf.lite.Interpreter; the cell's runtime says which ran.
"""

from __future__ import annotations

import subprocess
import sys
import warnings
from pathlib import Path
from typing import Any, Mapping

import keras
import numpy as np
import tensorflow as tf

from benchmarks.studies.export import onnx_runtime
from benchmarks.studies.export.cells import ExportPath
from benchmarks.studies.export.matrix import inference_case, run_matrix

CLI_TIMEOUT_SECONDS = 600
SAVED_MODEL = "saved_model"


def _signature(example: np.ndarray) -> list[tf.TensorSpec]:
    """The example's shape with the batch left open: what a servable should accept."""
    return [tf.TensorSpec((None, *example.shape[1:]), tf.as_dtype(example.dtype), name="x")]


def _export_saved_model(model: keras.Model, directory: Path) -> Path:
    target = directory / SAVED_MODEL
    model.export(str(target), format="tf_saved_model", verbose=False)
    return target


def _load_saved_model(directory: Path):
    loaded = tf.saved_model.load(str(directory / SAVED_MODEL))
    serving = loaded.signatures["serving_default"]
    (name,) = serving.structured_input_signature[1].keys()

    def run(x: np.ndarray) -> np.ndarray:
        outputs = serving(**{name: tf.constant(x)})
        (output,) = outputs.values()
        return output.numpy()

    run.keepalive = loaded  # the signature needs its object alive
    return run


def _interpreter_class() -> tuple[type, str]:
    """LiteRT's interpreter where the package installs; TF's own (deprecated) otherwise."""
    try:
        from importlib.metadata import version

        from ai_edge_litert import interpreter as litert

        return litert.Interpreter, f"LiteRT {version('ai-edge-litert')} (ai_edge_litert.interpreter)"
    except ImportError:
        return tf.lite.Interpreter, f"tf.lite.Interpreter (TensorFlow {tf.__version__})"


def _load_tflite(directory: Path, threads: int):
    interpreter_class, _ = _interpreter_class()
    interpreter = interpreter_class(model_path=str(directory / "model.tflite"), num_threads=threads)
    interpreter.allocate_tensors()
    (source,) = interpreter.get_input_details()
    output_index = interpreter.get_output_details()[0]["index"]
    shape = {"current": tuple(source["shape"])}

    def run(x: np.ndarray) -> np.ndarray:
        if tuple(x.shape) != shape["current"]:
            interpreter.resize_tensor_input(source["index"], list(x.shape), strict=True)
            interpreter.allocate_tensors()
            shape["current"] = tuple(x.shape)
        interpreter.set_tensor(source["index"], x)
        interpreter.invoke()
        return interpreter.get_tensor(output_index).copy()

    return run


def paths(model: keras.Model, example: np.ndarray, threads: int) -> list[ExportPath]:
    version = f"TensorFlow {tf.__version__}"
    signature = _signature(example)

    def keras_format(directory: Path) -> Path:
        model.save(str(directory / "model.keras"))
        return directory

    def keras_load(directory: Path):
        loaded = keras.saving.load_model(str(directory / "model.keras"))
        return lambda x: keras.ops.convert_to_numpy(loaded(tf.constant(x), training=False))

    def tflite(directory: Path) -> Path:
        """From the serving SavedModel (batch left open); where the converter needs static shapes (an LSTM's
        tensor list), again from a SavedModel with the batch fixed at the export batch, as on-device models are.
        The fallback is our setting, recorded as a warning in the cell, never a silent change."""
        try:
            converter = tf.lite.TFLiteConverter.from_saved_model(str(_export_saved_model(model, directory)))
            blob = converter.convert()
        except Exception as open_batch:  # noqa: BLE001 - the converter's errors have no common base class
            fixed = directory / "saved_model_fixed_batch"
            model.export(str(fixed), format="tf_saved_model", verbose=False,
                         input_signature=[tf.TensorSpec(example.shape, tf.as_dtype(example.dtype), name="x")])
            blob = tf.lite.TFLiteConverter.from_saved_model(str(fixed)).convert()
            first = " ".join(str(open_batch).split())[:200]
            warnings.warn(f"converted with the batch fixed at {example.shape[0]}: with the batch left open the "
                          f"converter refused ({type(open_batch).__name__}: {first})", UserWarning, stacklevel=1)
        (directory / "model.tflite").write_bytes(blob)
        return directory / "model.tflite"

    def tf2onnx_keras(directory: Path) -> Path:
        import tf2onnx

        tf2onnx.convert.from_keras(model, input_signature=signature, output_path=str(directory / onnx_runtime.MODEL_FILE))
        return directory

    def tf2onnx_function(directory: Path) -> Path:
        import tf2onnx

        serve = tf.function(lambda x: model(x, training=False), input_signature=signature)
        tf2onnx.convert.from_function(serve, input_signature=signature, output_path=str(directory / onnx_runtime.MODEL_FILE))
        return directory

    def tf2onnx_cli(directory: Path) -> Path:
        saved = _export_saved_model(model, directory)
        command = [sys.executable, "-m", "tf2onnx.convert", "--saved-model", str(saved),
                   "--output", str(directory / onnx_runtime.MODEL_FILE)]
        done = subprocess.run(command, capture_output=True, text=True, timeout=CLI_TIMEOUT_SECONDS)
        if done.returncode != 0:
            lines = [line for line in done.stderr.splitlines() if line.strip()]
            raise RuntimeError(f"tf2onnx.convert exited {done.returncode}: {lines[-1] if lines else 'no output'}")
        return directory / onnx_runtime.MODEL_FILE

    def onnx_load(artifact: Path):
        return onnx_runtime.load(artifact if artifact.is_dir() else artifact.parent, threads)

    def tflite_load(artifact: Path):
        return _load_tflite(artifact.parent, threads)

    return [
        ExportPath("saved_model", "SavedModel", lambda d: _export_saved_model(model, d),
                   lambda a: _load_saved_model(a.parent), lambda: f"{version} (tf.saved_model.load, serving_default)"),
        ExportPath("keras_format", "Keras .keras", keras_format, keras_load,
                   lambda: f"Keras {keras.__version__} (keras.saving.load_model)"),
        ExportPath("tflite", "TFLite / LiteRT", tflite, tflite_load, lambda: _interpreter_class()[1]),
        ExportPath("onnx_tf2onnx_keras", "ONNX (tf2onnx from_keras)", tf2onnx_keras, onnx_load, onnx_runtime.runtime_name),
        ExportPath("onnx_tf2onnx_function", "ONNX (tf2onnx from_function)", tf2onnx_function, onnx_load,
                   onnx_runtime.runtime_name),
        ExportPath("onnx_tf2onnx_saved_model_cli", "ONNX (tf2onnx CLI on a SavedModel)", tf2onnx_cli, onnx_load,
                   onnx_runtime.runtime_name),
    ]


def run(spec: Mapping[str, Any]) -> dict:
    case = inference_case(spec, mode="function")
    x, _ = case.example_batch()
    return run_matrix(spec, case, lambda root: paths(case.model, x, int(spec["threads"])), lambda b: b, tf.__version__)
