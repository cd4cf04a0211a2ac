"""Loading an .onnx file into ONNX Runtime on the CPU, shared by the torch and tf2onnx paths so
both are run by the same runtime with the same thread settings."""

from __future__ import annotations

from pathlib import Path

import numpy as np

MODEL_FILE = "model.onnx"


def load(directory: Path, threads: int):
    """A callable numpy -> numpy over an InferenceSession with the run's thread count."""
    import onnxruntime

    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    session = onnxruntime.InferenceSession(str(directory / MODEL_FILE), options, providers=["CPUExecutionProvider"])
    inputs = session.get_inputs()
    if len(inputs) != 1:
        raise ValueError(f"expected one input, the model has {[i.name for i in inputs]}")
    name = inputs[0].name

    def run(x: np.ndarray) -> np.ndarray:
        return session.run(None, {name: x})[0]

    return run


def runtime_name() -> str:
    import onnxruntime

    return f"ONNX Runtime {onnxruntime.__version__} (CPUExecutionProvider)"
