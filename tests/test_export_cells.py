"""The export matrix's cells: a failing path is a failed cell with its stage and message, and
the paths after it still run. Fake exporters (no framework) for the logic; one real PyTorch
model that torch.export cannot export."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from benchmarks.studies.export import STUDY
from benchmarks.studies.export.cells import ExportPath, run_cell
from contract.payloads import ExportData

X = np.arange(12, dtype=np.float32).reshape(4, 3)
OTHER = X[:2]


def _identity_path(path_id: str = "identity", **overrides) -> ExportPath:
    def export(directory: Path) -> Path:
        (directory / "artifact.bin").write_bytes(b"x" * 100)
        return directory

    parts = dict(export=export, load=lambda artifact: (lambda x: x.copy()), runtime=lambda: "numpy")
    parts.update(overrides)
    return ExportPath(path_id, path_id.title(), **parts)


def _run(path: ExportPath, tmp_path: Path):
    directory = tmp_path / path.path_id
    directory.mkdir()
    return run_cell(path, directory, X, X, OTHER, OTHER, latency_calls=2)


def test_a_working_path_records_its_measurements(tmp_path: Path) -> None:
    cell = _run(_identity_path(), tmp_path)
    assert cell.status == "ok"
    assert cell.max_abs_diff == 0.0
    assert cell.artifact_bytes == 100
    assert cell.dynamic_batch is True
    assert cell.load_seconds is not None and cell.latency_seconds_median is not None


def test_a_failing_export_is_a_failed_cell_with_its_reason_and_the_next_path_still_runs(tmp_path: Path) -> None:
    def export(directory: Path) -> Path:
        raise KeyError("keras_tensor_3")

    failed = _run(_identity_path("broken", export=export), tmp_path)
    after = _run(_identity_path("after"), tmp_path)
    assert failed.status == "failed"
    assert (failed.failed_stage, failed.error_type) == ("export", "KeyError")
    assert "keras_tensor_3" in failed.message
    assert failed.artifact_bytes is None
    assert after.status == "ok"
    # The failed cell survives the study's own schema, so it reaches the result file.
    data = ExportData(framework_version="x", export_batch=4, other_batch=2, input_shape=[4, 3], input_dtype="float32",
                      reference_latency_seconds_median=0.1, threads=1, cells=[failed, after])
    assert STUDY.data_model.model_validate(data.model_dump()).cells[0].status == "failed"


def test_a_load_failure_and_a_wrong_shape_are_told_apart(tmp_path: Path) -> None:
    def load(artifact: Path):
        raise RuntimeError("no such runtime")

    assert _run(_identity_path("noload", load=load), tmp_path).failed_stage == "load"
    wrong = _run(_identity_path("wrong", load=lambda a: (lambda x: x[:, :1])), tmp_path)
    assert (wrong.status, wrong.failed_stage) == ("failed", "compare")


def test_an_artifact_fixed_to_one_batch_size_is_recorded_as_not_dynamic(tmp_path: Path) -> None:
    def fixed(x: np.ndarray) -> np.ndarray:
        if x.shape[0] != X.shape[0]:
            raise ValueError(f"expected batch {X.shape[0]}")
        return x.copy()

    cell = _run(_identity_path("fixed", load=lambda a: fixed), tmp_path)
    assert cell.status == "ok"
    assert cell.dynamic_batch is False
    assert "expected batch 4" in cell.dynamic_batch_detail


def test_warnings_raised_while_exporting_are_recorded(tmp_path: Path) -> None:
    import warnings

    def export(directory: Path) -> Path:
        warnings.warn("`torch.jit.trace` is deprecated", DeprecationWarning)
        return directory

    cell = _run(_identity_path("warns", export=export), tmp_path)
    assert cell.warnings == ["DeprecationWarning: `torch.jit.trace` is deprecated"]


def test_torch_export_of_data_dependent_control_flow_fails_as_a_cell(tmp_path: Path) -> None:
    torch = pytest.importorskip("torch")
    from benchmarks.studies.export import torch_impl

    class DataDependent(torch.nn.Module):
        def forward(self, x):
            if x.sum() > 0:  # torch.export cannot trace a branch on a tensor's value
                return x * 2
            return x

    model = DataDependent().eval()
    example = torch.from_numpy(X)
    paths = {p.path_id: p for p in torch_impl.paths(model, example, threads=1)}
    expected = model(example).numpy()
    cell = run_cell(paths["torch_export"], _mkdir(tmp_path / "export"), X, expected, OTHER, OTHER * 2, latency_calls=1)
    assert cell.status == "failed"
    assert cell.failed_stage == "export"
    assert cell.message


def _mkdir(path: Path) -> Path:
    path.mkdir()
    return path
