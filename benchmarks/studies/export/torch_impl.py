"""PyTorch's export paths: torch.export, ONNX through the dynamo exporter, TorchScript, and
ExecuTorch, PyTorch's on-device format.

Each is exported with the batch dimension marked dynamic where the API allows it
(Dim.AUTO lets the exporter specialise when it must), and the cell then tries another batch
size to find out what the artifact really accepts. The ExecuTorch program is exported at the
export batch, as an on-device model is, lowered to the XNNPACK delegate (the CPU backend of
phones), written as a .pte file and run by the ExecuTorch runtime; where the `executorch`
package is not installed the cell fails at export with ModuleNotFoundError, which the claims
page reads as "not built here", not as a limit of PyTorch.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Mapping

import numpy as np
import torch

from benchmarks.studies.export import onnx_runtime
from benchmarks.studies.export.cells import ExportPath
from benchmarks.studies.export.matrix import inference_case, run_matrix


def _dynamic_batch() -> tuple[dict[int, Any]]:
    return ({0: torch.export.Dim.AUTO},)


def _runner(module: Any, device: torch.device):
    def run(x: np.ndarray) -> np.ndarray:
        with torch.no_grad():
            return module(torch.from_numpy(x).to(device)).float().cpu().numpy()

    return run


def paths(model: torch.nn.Module, example: torch.Tensor, threads: int) -> list[ExportPath]:
    device = example.device
    version = f"PyTorch {torch.__version__}"

    def torch_export(directory: Path) -> Path:
        program = torch.export.export(model, (example,), dynamic_shapes=_dynamic_batch())
        torch.export.save(program, directory / "model.pt2")
        return directory

    def torch_export_load(directory: Path):
        return _runner(torch.export.load(directory / "model.pt2").module(), device)

    def onnx_dynamo(directory: Path) -> Path:
        torch.onnx.export(model, (example,), str(directory / onnx_runtime.MODEL_FILE), dynamo=True,
                          dynamic_shapes=_dynamic_batch(), input_names=["x"], output_names=["logits"])
        return directory

    def torchscript(directory: Path) -> Path:
        with torch.no_grad():
            traced = torch.jit.trace(model, (example,))
        torch.jit.save(traced, str(directory / "model.torchscript.pt"))
        return directory

    def executorch(directory: Path) -> Path:
        from executorch.backends.xnnpack.partition.xnnpack_partitioner import XnnpackPartitioner
        from executorch.exir import to_edge_transform_and_lower

        program = torch.export.export(model, (example,))
        lowered = to_edge_transform_and_lower(program, partitioner=[XnnpackPartitioner()]).to_executorch()
        (directory / "model.pte").write_bytes(lowered.buffer)
        return directory / "model.pte"

    def executorch_load(artifact: Path):
        from executorch.runtime import Runtime

        method = Runtime.get().load_program(str(artifact)).load_method("forward")

        def run(x: np.ndarray) -> np.ndarray:
            return method.execute([torch.from_numpy(x)])[0].float().numpy()

        return run

    def executorch_runtime() -> str:
        from importlib.metadata import version

        return f"ExecuTorch {version('executorch')} (executorch.runtime, XNNPACK)"

    def torchscript_load(directory: Path):
        return _runner(torch.jit.load(str(directory / "model.torchscript.pt"), map_location=device), device)

    return [
        ExportPath("torch_export", "torch.export", torch_export, torch_export_load,
                   lambda: f"{version} (ExportedProgram.module())"),
        ExportPath("onnx_dynamo", "ONNX (dynamo exporter)", onnx_dynamo,
                   lambda d: onnx_runtime.load(d, threads), onnx_runtime.runtime_name),
        ExportPath("torchscript", "TorchScript", torchscript, torchscript_load, lambda: f"{version} (torch.jit.load)"),
        ExportPath("executorch", "ExecuTorch .pte", executorch, executorch_load, executorch_runtime),
    ]


def run(spec: Mapping[str, Any]) -> dict:
    case = inference_case(spec, mode="eager")
    x, _ = case.example_batch()
    example = case.to_input(x)

    def native(batch: np.ndarray) -> np.ndarray:
        return case.to_input(batch).cpu().numpy()

    return run_matrix(spec, case, lambda root: paths(case.model, example, int(spec["threads"])), native, torch.__version__)
