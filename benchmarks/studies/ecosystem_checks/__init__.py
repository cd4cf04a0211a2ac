"""Ecosystem claims that can be executed here instead of cited: each check is one task in a fresh child.

- torch_tensorboard: PyTorch writes TensorBoard logs (torch.utils.tensorboard), and TensorBoard's
  own reader reads them back.
- keras_torch_backend: Keras 3 trains a model on the PyTorch backend (KERAS_BACKEND=torch).

The fact file (site_scripts/data/ecosystem_facts.yaml) links a fact to its check by `check:` id.
"""

from __future__ import annotations

from benchmarks.study import PlanContext, Study, StudyTask
from contract.payloads import CheckData

CHECKS = {
    "torch_tensorboard": "PyTorch writes a TensorBoard event file that TensorBoard's reader reads back",
    "keras_torch_backend": "Keras 3 fits a model with KERAS_BACKEND=torch",
}


def plan(context: PlanContext) -> list[StudyTask]:
    if "torch" not in context.frameworks:
        return []
    return [StudyTask(None, None, {"check": name}, timeout_seconds=600.0) for name in CHECKS]


STUDY = Study(
    name="ecosystem_checks",
    title="Executed ecosystem facts",
    description="TensorBoard logs written by PyTorch and read back; Keras 3 fitting on the PyTorch backend.",
    plan=plan,
    default_presets=("site", "quick", "full"),
    default_devices=("cpu",),
    data_model=CheckData,
)
