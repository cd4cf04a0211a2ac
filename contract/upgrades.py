"""Step-by-step upgrades of older result files: UPGRADES[v] turns a version-v dict into version v+1.

Each upgrade states what the older version did not record and fills it with what the code of
that time did, so an old run is described by its own rules, never by today's constants.
"""

from __future__ import annotations

from typing import Any, Callable

from contract.hardware import hardware_key
from contract.schema import GpuInfo, HostInfo, case_id_for


class UpgradeError(Exception):
    """A file that claims a version it cannot be; the message is one line for the user."""


# Fields each version was the first to write (dotted paths; `[]` walks a list). A file that claims an older version
# but holds one of these was relabelled, and upgrading it would overwrite what it recorded (a version-3 file
# relabelled 1 would lose its modes), so it is refused instead.
INTRODUCED: dict[int, tuple[str, ...]] = {
    2: ("equivalence", "peak_matmul", "cases[].config.mode", "cases[].config.task", "cases[].config.precision",
        "comparisons[].numerator_mode", "comparisons[].denominator_mode"),
    3: ("studies", "study_info", "settings.studies", "cases[].samples[].memory_phases"),
    4: ("rules", "call_overhead", "settings.preset_definition", "provenance.host.hardware_key", "cases[].code_hash",
        "comparisons[].path", "comparisons[].min_pairs"),
}


def _holds(node: Any, path: list[str]) -> bool:
    if not path:
        return True
    step, rest = path[0], path[1:]
    if step.endswith("[]"):
        items = node.get(step[:-2]) if isinstance(node, dict) else None
        return isinstance(items, list) and any(_holds(item, rest) for item in items)
    return isinstance(node, dict) and step in node and _holds(node[step], rest)


def check_recorded_by(raw: dict[str, Any], version: int) -> None:
    """Refuse a file holding a field that only a later version than the one it claims would have written."""
    for introduced, paths in sorted(INTRODUCED.items()):
        if introduced <= version:
            continue
        for path in paths:
            if _holds(raw, path.split(".")):
                raise UpgradeError(f"claims schema_version {version} but holds {path}, which version {introduced} "
                                   f"introduced: a relabelled file, refused rather than upgraded over its own records")


def upgrade_v1_to_v2(raw: dict[str, Any]) -> dict[str, Any]:
    """Version 1 (the walking skeleton) measured fp32 training only, in each framework's default mode."""
    default_mode = {"torch": "eager", "tensorflow": "function"}
    for case in raw.get("cases", []):
        case["config"] = {"task": "train", "precision": "fp32",
                          "mode": default_mode.get(case["framework"], "default"), **case["config"]}
        case["case_id"] = case_id_for(case["workload"], case["framework"], case["device"], case["config"])
    for comparison in raw.get("comparisons", []):
        comparison["config"] = {"task": "train", "precision": "fp32", **comparison["config"]}
        comparison["numerator_mode"] = default_mode.get(comparison["numerator"])
        comparison["denominator_mode"] = default_mode.get(comparison["denominator"])
    return raw


def upgrade_v2_to_v3(raw: dict[str, Any]) -> dict[str, Any]:
    """Version 3 added memory by phase per process and the studies; version 2 measured neither."""
    raw.setdefault("studies", [])
    raw["settings"].setdefault("studies", [])
    return raw


# What the code before version 4 did, written down once here: its presets, default modes, comparison
# rules and export paths. Version 4 records these in every run; older runs are described by these.
V3_PRESETS = {
    "quick": ("CI and smoke checks: every workload and mode at tiny sizes, one process per case", 1, 300.0, True, False),
    "full": ("the CPU reference run: 5 interleaved processes per case, batch sweeps, inference", 5, 900.0, True, True),
    "gpu": ("a CUDA machine: ResNet-50 at 224², BERT-base at sequence 128, fp16 and bf16", 5, 1200.0, True, True),
    "memory": ("memory vs batch at full sizes: eager and compiled modes swept, mixed precision at the reference batch, "
               "one process per case (not for speed comparisons)", 1, 900.0, False, True),
}
V3_DEFAULT_MODES = {"torch": ["eager"], "tensorflow": ["function"]}
V3_FINGERPRINT_TOLERANCE = {"fp32": 1e-3, "bf16": 5e-2, "fp16": 5e-2}
V3_MIN_PAIRS = 5
V3_CONFIDENCE_LEVEL = 0.95
V3_INTERVAL_METHOD = "percentile bootstrap of the median of the paired step-time ratios"
V3_LOADED_MACHINE_FRACTION = 0.10
V3_EXPORT_PATHS = {
    "torch": {
        "torch_export": "torch.export (save, load, run)",
        "onnx_dynamo": "ONNX via torch.onnx.export(dynamo=True), run in ONNX Runtime",
        "torchscript": "TorchScript (torch.jit.trace, save, load)",
    },
    "tensorflow": {
        "saved_model": "SavedModel via model.export, serving signature",
        "keras_format": "Keras .keras file (keras.saving.load_model)",
        "tflite": "TFLite/LiteRT conversion, run in an interpreter",
        "onnx_tf2onnx_keras": "ONNX via tf2onnx.convert.from_keras, run in ONNX Runtime",
        "onnx_tf2onnx_function": "ONNX via tf2onnx.convert.from_function, run in ONNX Runtime",
        "onnx_tf2onnx_saved_model_cli": "ONNX via python -m tf2onnx.convert --saved-model, run in ONNX Runtime",
    },
}
FRAMEWORK_SPECIFIC = ("mode", "layout")


def _v3_side_case(raw: dict[str, Any], comparison: dict[str, Any], framework: str, mode: str | None) -> str | None:
    """The case the version-3 rule picked for one side: its fastest layout in the recorded mode."""
    best = None
    for case in raw.get("cases", []):
        shared = {k: v for k, v in case["config"].items() if k not in FRAMEWORK_SPECIFIC}
        if (case["workload"], case["device"], case["framework"]) != (comparison["workload"], comparison["device"],
                                                                     framework):
            continue
        if shared != comparison["config"] or (mode is not None and case["config"].get("mode") != mode):
            continue
        summary = case.get("summary")
        if summary and (best is None or summary["step_seconds_median"] < best[0]):
            best = (summary["step_seconds_median"], case["case_id"])
    return best[1] if best else None


def upgrade_v3_to_v4(raw: dict[str, Any]) -> dict[str, Any]:
    """Version 4 records the rules a run was judged by (preset, default modes, tolerances, minimum pairs, which cases
    each comparison used, the export paths) and the code of each case; version 3 code applied the rules above."""
    settings = raw["settings"]
    preset = settings["preset"]
    purpose, processes, timeout, timing, reference = V3_PRESETS.get(
        preset, (f"preset {preset}", settings["processes_per_case"], settings["timeout_seconds"], True, False))
    settings["preset_definition"] = {"name": preset, "purpose": purpose, "processes_per_case": processes,
                                     "timeout_seconds": timeout, "timing": timing, "reference": reference}
    raw["rules"] = {
        "confidence_level": V3_CONFIDENCE_LEVEL, "interval_method": V3_INTERVAL_METHOD,
        "min_pairs_for_verdict": V3_MIN_PAIRS, "fingerprint_tolerance": dict(V3_FINGERPRINT_TOLERANCE),
        "default_modes": {fw: list(modes) for fw, modes in V3_DEFAULT_MODES.items()},
        "timing_run": timing and bool(raw.get("cases")), "reference_run": reference,
        "loaded_machine_fraction": V3_LOADED_MACHINE_FRACTION,
    }
    for comparison in raw.get("comparisons", []):
        precision = str(comparison["config"].get("precision", "fp32"))
        comparison["min_pairs"] = V3_MIN_PAIRS
        comparison["fingerprint_tolerance"] = V3_FINGERPRINT_TOLERANCE.get(precision, V3_FINGERPRINT_TOLERANCE["fp32"])
        comparison["numerator_case_id"] = _v3_side_case(raw, comparison, comparison["numerator"],
                                                        comparison.get("numerator_mode"))
        comparison["denominator_case_id"] = _v3_side_case(raw, comparison, comparison["denominator"],
                                                          comparison.get("denominator_mode"))
        comparison["path"] = "fastest_same_samples"
    _v3_host_identity(raw)
    _v3_precision_evidence(raw)
    for name, info in raw.get("workloads", {}).items():
        info.setdefault("source_dir", f"benchmarks/workloads/{name}")
    for name, info in raw.get("study_info", {}).items():
        info.setdefault("source_dir", f"benchmarks/studies/{name}")
        if name == "export":
            info.setdefault("parameters", {"paths": V3_EXPORT_PATHS})
    return raw


def _v3_host_identity(raw: dict[str, Any]) -> None:
    """Before version 4 a run recorded only the CPU's model name ("AMD EPYC"): its hardware key says so."""
    provenance = raw["provenance"]
    host = HostInfo.model_validate({**provenance["host"], "hardware_key": ""})
    gpus = [GpuInfo.model_validate(g) for g in provenance.get("gpus", [])]
    provenance["host"]["hardware_key"] = hardware_key(host, gpus)


# oneDNN's message when it has no kernel for an op at this precision on this CPU.
NO_ONEDNN_KERNEL = "could not create a primitive descriptor"


def _v3_precision_evidence(raw: dict[str, Any]) -> None:
    """Version 3 did not probe whether bf16 ran on native kernels; the run's own measurements can still say it
    did not: a bf16 matmul peak below the fp32 one (native bf16 doubles it), or oneDNN refusing a bf16 kernel."""
    peaks = {(p["framework"], p["precision"]): p.get("flops_per_second") for p in raw.get("peak_matmul", [])}
    verdicts: dict[str, tuple[str, str]] = {}
    for framework in {c["framework"] for c in raw.get("cases", [])}:
        bf16, fp32 = peaks.get((framework, "bf16")), peaks.get((framework, "fp32"))
        if bf16 and fp32 and bf16 < fp32:
            verdicts[framework] = ("emulated", f"bf16 matmul {bf16 / 1e9:.0f} GFLOP/s against {fp32 / 1e9:.0f} in fp32 "
                                               f"(recorded peaks): no native bf16 kernels on this CPU")
            continue
        refused = any(NO_ONEDNN_KERNEL in (s.get("reason") or "") for c in raw.get("cases", [])
                      if c["framework"] == framework and c["config"].get("precision") == "bf16" for s in c["samples"])
        if refused:
            verdicts[framework] = ("emulated", f"oneDNN refused a bf16 kernel ('{NO_ONEDNN_KERNEL}'): no native bf16 "
                                               f"path on this CPU")
    for case in raw.get("cases", []):
        if case["config"].get("precision") == "bf16" and case["framework"] in verdicts:
            for sample in case["samples"]:
                sample["precision_path"], sample["precision_detail"] = verdicts[case["framework"]]
    for comparison in raw.get("comparisons", []):
        if comparison["config"].get("precision") == "bf16":
            comparison["precision_paths"] = {side: verdicts.get(side, (None,))[0]
                                             for side in (comparison["numerator"], comparison["denominator"])}


UPGRADES: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {
    1: upgrade_v1_to_v2, 2: upgrade_v2_to_v3, 3: upgrade_v3_to_v4,
}
