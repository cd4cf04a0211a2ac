"""The deployment/export matrix: every workload's model through every export path of its framework.

One task per (framework, workload), in a fresh child like every benchmark; inside it each path
is a cell (benchmarks.studies.export.cells) that records success or the stage and message of
its failure, the largest output difference against the original model on the same input, the
artifact's size, its load time, its latency in the target runtime and whether another batch
size runs. Which paths exist per framework is declared here, as data, so the renderer can show
a cell that a run is missing as missing rather than drop it.
"""

from __future__ import annotations

from benchmarks import registry
from benchmarks.presets import PRESETS
from benchmarks.study import PlanContext, Study, StudyTask
from contract.payloads import ExportData

# path id -> what it is; the framework files implement exactly these ids, in this order.
PATHS: dict[str, dict[str, str]] = {
    "torch": {
        "torch_export": "torch.export (save, load, run)",
        "onnx_dynamo": "ONNX via torch.onnx.export(dynamo=True), run in ONNX Runtime",
        "torchscript": "TorchScript (torch.jit.trace, save, load)",
        "executorch": "ExecuTorch .pte (torch.export, XNNPACK lowering), run in the ExecuTorch runtime",
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
# The batch a cell is exported and timed with, and the other one it must also accept:
# small, so the quick preset's eight children stay within a couple of minutes on 2 cores.
EXPORT_BATCH = 8
OTHER_BATCH = 3


# The site preset's small form (what `make site` runs for a newcomer): every path of one workload.
SMALL_FORM_WORKLOADS = {"site": ("mlp",)}


def plan(context: PlanContext) -> list[StudyTask]:
    known = registry.workloads()
    preset = PRESETS[context.preset]
    only = SMALL_FORM_WORKLOADS.get(context.preset)
    return [StudyTask(framework, name, {"sizes": preset.sizes_name, "export_batch": EXPORT_BATCH,
                                        "other_batch": OTHER_BATCH}, timeout_seconds=preset.timeout_seconds)
            for name in context.workloads if only is None or name in only for framework in context.frameworks
            if framework in known[name].frameworks and framework in PATHS]


STUDY = Study(
    name="export",
    title="Deployment and export matrix",
    description=("Each workload's model exported through each path of its framework, reloaded and run in the "
                 "target runtime; compared with the original on the same input."),
    plan=plan,
    default_presets=("site", "quick", "full"),
    default_devices=("cpu",),
    data_model=ExportData,
    parameters={"paths": PATHS},
)
