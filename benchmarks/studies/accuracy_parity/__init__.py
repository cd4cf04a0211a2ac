"""Accuracy parity: do both frameworks learn the same thing, given the same start, data and order?

Real data that ships inside scikit-learn (the 1,797 8×8 handwritten digits), one fixed
stratified train/validation split, the same initial weights per seed, the same shuffled
order per epoch, the same hyperparameters: then K seeds per framework. The models are the
workloads' own implementations (the MLP and the ResNet), driven through the same Case
interface the speed benchmarks time, so parity is tested on the code that is measured.
"""

from __future__ import annotations

from benchmarks.study import PlanContext, Study, StudyTask
from contract.payloads import ParityData

# Sizes: small enough that the whole study (2 workloads × 2 frameworks × 5 seeds) stays
# within about ten minutes on 2 cores; `quick` is a two-seed, two-epoch smoke version.
STUDY_SIZES = {
    "quick": {"seeds": 2, "epochs": 2},
    "default": {"seeds": 5, "epochs": 12},
}
WORKLOAD_SETTINGS = {
    # The digits as 64 inputs for the MLP.
    "mlp": {"model": {"n_samples": 0, "input_dim": 64, "hidden_units": 128, "hidden_layers": 2, "n_classes": 10},
            "batch_size": 32, "target_accuracy": 0.95},
    # The ResNet-18 (CIFAR stem, base width 8) takes 3-channel images whose side the stages can halve:
    # each 8×8 digit is upsampled to 16×16 by nearest neighbour and its grey level copied to 3 channels.
    "resnet": {"model": {"n_samples": 0, "depth": 18, "base_width": 8, "image_size": 16, "stem": "cifar",
                         "n_classes": 10},
               "batch_size": 32, "target_accuracy": 0.95},
}
VALIDATION_FRACTION = 0.2
SPLIT_SEED = 0


# The site preset (what `make site` runs for a newcomer) runs the quick form on the MLP alone.
SMALL_FORM_WORKLOADS = {"site": ("mlp",)}


def plan(context: PlanContext) -> list[StudyTask]:
    sizes = STUDY_SIZES["quick" if context.preset in ("quick", "site") else "default"]
    only = SMALL_FORM_WORKLOADS.get(context.preset)
    tasks = []
    for workload in WORKLOAD_SETTINGS:
        if workload not in context.workloads or (only is not None and workload not in only):
            continue
        settings = WORKLOAD_SETTINGS[workload]
        for seed in range(sizes["seeds"]):
            for framework in context.frameworks:  # frameworks alternate seed by seed, like cases
                config = {"seed": seed, "epochs": sizes["epochs"], "batch_size": settings["batch_size"],
                          "target_accuracy": settings["target_accuracy"]}
                tasks.append(StudyTask(framework, workload, config, timeout_seconds=900.0))
    return tasks


STUDY = Study(
    name="accuracy_parity",
    title="Accuracy parity on scikit-learn's digits",
    description=("The MLP and ResNet workloads trained on the 1,797 8×8 digits, fixed split, same initial "
                 "weights and data order per seed, K seeds per framework; learning curves and final accuracy."),
    plan=plan,
    default_presets=("site", "quick", "full", "memory"),
    data_model=ParityData,
    notes={
        "data": (f"sklearn.datasets.load_digits, pixels divided by 16 then standardised with the training split's "
                 f"mean and standard deviation; stratified split, {VALIDATION_FRACTION:.0%} validation, "
                 f"split seed {SPLIT_SEED}."),
        "cnn_input": "Each 8×8 digit is upsampled to 16×16 by nearest neighbour and copied to 3 channels.",
        "order": "Per seed, a numpy permutation per epoch; both frameworks consume the same batches in the same order.",
        "initialisation": "Per seed, the workload's declared initial weights drawn with that seed, loaded into both.",
        "mode": "Each framework's default training path: PyTorch eager, TensorFlow tf.function.",
        "time_to_target": ("Wall clock of the training steps until the epoch after which validation accuracy first "
                           "reaches the target; evaluation passes are not counted, the first step's tracing is."),
    },
)
