"""Which harness setting moves which framework (issue 14): fused SGD against foreach, inter-op threads equal
to intra-op against 1, 32 cycled batches against one, on the MLP at the full preset's size, batch 256.

Each variant runs in fresh processes through the harness's own Case (benchmarks.harness.timing_child), with one
setting changed; variants alternate process by process (A B C A B C ...), so machine drift hits all alike.
Run it on a quiet machine (check `uptime`); it prints a table of median step times and the foreign load.

    .venv/bin/python tools/settings_probe.py [--processes 6] [--workload mlp] [--out probe.json]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
VARIANTS = {
    "torch": ("harness", "foreach_sgd", "interop_1", "one_batch"),
    "tensorflow": ("harness", "interop_1", "one_batch"),
}
MODES = {"torch": "eager", "tensorflow": "function"}


def child(framework: str, variant: str, workload_name: str, threads: int) -> dict:
    sys.path.insert(0, str(REPO))
    from benchmarks import registry
    from benchmarks.harness import timing_child

    if framework == "torch":
        from benchmarks.frameworks import torch_runtime as runtime
        import torch

        if variant == "foreach_sgd":
            def foreach(hyperparameters, parameters):
                return torch.optim.SGD(parameters, lr=hyperparameters["learning_rate"],
                                       momentum=hyperparameters["momentum"], foreach=True)
            runtime.make_optimizer = foreach
        if variant == "interop_1":
            runtime.configure_threads = lambda n: (torch.set_num_threads(n), torch.set_num_interop_threads(1))
    else:
        from benchmarks.frameworks import tensorflow_runtime as runtime
        import tensorflow as tf

        if variant == "interop_1":
            original = runtime.configure

            def configure(n):
                gpus = original(n)
                tf.config.threading.set_inter_op_parallelism_threads(1)
                return gpus
            runtime.configure = configure
    workload = registry.workloads()[workload_name]
    sizes = workload.preset("full")
    config = {**sizes.model, "batch_size": sizes.batch_size, "task": "train", "precision": "fp32",
              "mode": MODES[framework]}
    case = timing_child.create_case({"workload": workload_name, "framework": framework, "device": "cpu",
                                     "config": config, "threads": threads})
    if variant == "one_batch":
        case.batches = case.batches[:1]
    for _ in range(3):
        case.finish(case.step())
    steps = []
    for _ in range(20):
        started = time.perf_counter()
        case.finish(case.step())
        steps.append(time.perf_counter() - started)
    return {"median_step_seconds": statistics.median(steps), "batches": len(case.batches),
            "inter_op_threads": case.inter_op_threads}


def busy_seconds() -> float:
    fields = Path("/proc/stat").read_text().splitlines()[0].split()
    user, nice, system, _idle, _iowait, irq, softirq, steal = (int(v) for v in fields[1:9])
    return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--processes", type=int, default=6)
    parser.add_argument("--workload", default="mlp")
    parser.add_argument("--out", default="")
    parser.add_argument("--child", nargs=3, metavar=("FRAMEWORK", "VARIANT", "WORKLOAD"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    threads = len(os.sched_getaffinity(0))
    if args.child:
        print(json.dumps(child(*args.child, threads)))
        return 0
    env = {**os.environ, "PYTHONPATH": str(REPO), "OMP_NUM_THREADS": str(threads), "TF_CPP_MIN_LOG_LEVEL": "2",
           "PYTHONWARNINGS": "ignore"}
    results: dict[str, list[tuple[float, float]]] = {}
    for repeat in range(args.processes):
        for framework, variants in VARIANTS.items():
            for variant in variants:
                before, started = busy_seconds(), time.monotonic()
                done = subprocess.run([sys.executable, __file__, "--child", framework, variant, args.workload],
                                      capture_output=True, text=True, env=env, cwd=REPO)
                wall = time.monotonic() - started
                if done.returncode != 0:
                    print(f"{framework} {variant}: failed: {done.stderr.strip().splitlines()[-1:]}", file=sys.stderr)
                    continue
                # The child's own CPU is about threads × wall at most; what the machine did beyond it is foreign.
                foreign = max(0.0, (busy_seconds() - before) / wall - threads) / (os.cpu_count() or 1)
                outcome = json.loads(done.stdout.strip().splitlines()[-1])
                results.setdefault(f"{framework} {variant}", []).append((outcome["median_step_seconds"], foreign))
        print(f"repeat {repeat + 1} of {args.processes} done", file=sys.stderr)
    rows = []
    for name, values in results.items():
        framework = name.split()[0]
        base = statistics.median(v for v, _ in results[f"{framework} harness"])
        median = statistics.median(v for v, _ in values)
        rows.append({"variant": name, "median_step_ms": round(median * 1000, 2), "vs_harness": round(median / base, 3),
                     "processes": len(values), "foreign_load_max": round(max(f for _, f in values), 3)})
    for row in rows:
        print(f"{row['variant']:28s} {row['median_step_ms']:8.2f} ms  ×{row['vs_harness']:.3f}  "
              f"({row['processes']} processes, foreign load ≤ {row['foreign_load_max']:.0%})")
    if args.out:
        Path(args.out).write_text(json.dumps(rows, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
