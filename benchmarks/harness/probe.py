"""Prints, as one JSON line, whether a framework is installed and which CUDA GPUs it sees; with --cpu, also
what it will use on this CPU (torch's CPU capability, native bf16), running one bf16 op so that oneDNN
prints its ISA line (ONEDNN_VERBOSE=1, set by the parent).

Run as a subprocess so that the parent process never imports torch or tensorflow.
"""

from __future__ import annotations

import json
import sys


def probe_torch() -> dict:
    import torch

    gpus = []
    if torch.cuda.is_available():
        for index in range(torch.cuda.device_count()):
            props = torch.cuda.get_device_properties(index)
            gpus.append({
                "name": props.name,
                "memory_bytes": int(props.total_memory),
                "cuda_version": torch.version.cuda,
                "cudnn_version": str(torch.backends.cudnn.version()),
            })
    return {"installed": True, "version": torch.__version__, "gpus": gpus}


def probe_tensorflow() -> dict:
    import tensorflow as tf

    build = tf.sysconfig.get_build_info()
    gpus = []
    for device in tf.config.list_physical_devices("GPU"):
        details = tf.config.experimental.get_device_details(device)
        gpus.append({
            "name": details.get("device_name", device.name),
            "memory_bytes": None,
            "cuda_version": build.get("cuda_version"),
            "cudnn_version": build.get("cudnn_version"),
        })
    return {"installed": True, "version": tf.__version__, "gpus": gpus}


def cpu_torch() -> dict:
    import torch

    from benchmarks.frameworks.torch_runtime import precision_path

    torch.nn.functional.linear(torch.ones(64, 64, dtype=torch.bfloat16), torch.ones(64, 64, dtype=torch.bfloat16))
    path, detail = precision_path("cpu", "bf16")
    return {"cpu_capability": torch.backends.cpu.get_cpu_capability(), "native_bf16": path == "native",
            "native_bf16_detail": detail}


def cpu_tensorflow() -> dict:
    import tensorflow as tf

    from benchmarks.frameworks.tensorflow_runtime import precision_path

    a = tf.ones((64, 64), dtype=tf.bfloat16)
    float(tf.reduce_sum(tf.cast(tf.linalg.matmul(a, a), tf.float32)))
    path, detail = precision_path("cpu", "bf16")
    return {"native_bf16": path == "native", "native_bf16_detail": detail}


def main(argv: list[str]) -> int:
    framework = argv[0]
    try:
        info = {"torch": probe_torch, "tensorflow": probe_tensorflow}[framework]()
        if "--cpu" in argv:
            info.update({"torch": cpu_torch, "tensorflow": cpu_tensorflow}[framework]())
    except ModuleNotFoundError as exc:
        if exc.name not in ("torch", "tensorflow"):
            raise
        info = {"installed": False, "error": f"{framework} is not installed on this machine"}
    sys.stdout.flush()
    print(json.dumps(info), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
