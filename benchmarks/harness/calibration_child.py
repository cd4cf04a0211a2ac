"""Once-per-run measurements in their own child processes: FLOPs of a step, and peak matmul FLOP/s.

FLOPs are counted once per configuration with torch.utils.flop_counter on the PyTorch
implementation; the equivalence check proves the TensorFlow model computes the same
function, so the same count holds for both. The peak is each framework's own best
square matmul on this machine, the ceiling a case's achieved FLOP/s is divided by.
Usage: python -m benchmarks.harness.calibration_child flops SPEC.json OUT.json
       python -m benchmarks.harness.calibration_child peak FRAMEWORK DEVICE PRECISION N THREADS OUT.json
"""

from __future__ import annotations

import importlib
import json
import sys
from pathlib import Path

from benchmarks.harness.timing_child import create_case
from contract.files import write_atomically

RUNTIMES = {"torch": "benchmarks.frameworks.torch_runtime", "tensorflow": "benchmarks.frameworks.tensorflow_runtime"}


def count_flops(spec: dict) -> float:
    """The forward pass of the spec's configuration, counted by torch's counter with every kernel decomposed."""
    case = create_case({**spec, "framework": "torch", "config": {**spec["config"], "task": "infer"}})
    return importlib.import_module(RUNTIMES["torch"]).count_forward_flops(case)


def peak(framework: str, device: str, precision: str, n: int, threads: int) -> float:
    return importlib.import_module(RUNTIMES[framework]).peak_matmul_flops(device, precision, n, threads)


def main(argv: list[str]) -> int:
    out = Path(argv[-1])
    try:
        if argv[0] == "flops":
            result = {"flops": count_flops(json.loads(Path(argv[1]).read_text()))}
        elif argv[0] == "overhead":
            framework, device, mode, threads = argv[1], argv[2], argv[3], int(argv[4])
            result = {"seconds_per_call": importlib.import_module(RUNTIMES[framework]).call_overhead_seconds(
                device, mode, threads)}
        else:
            framework, device, precision, n, threads = argv[1], argv[2], argv[3], int(argv[4]), int(argv[5])
            result = {"flops_per_second": peak(framework, device, precision, n, threads)}
    except (ModuleNotFoundError, NotImplementedError) as exc:
        result = {"unsupported": str(exc)}
    write_atomically(out, json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
