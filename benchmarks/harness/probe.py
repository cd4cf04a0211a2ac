"""Prints, as one JSON line, whether a framework is installed and which CUDA GPUs it sees.

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


def main(framework: str) -> int:
    try:
        info = {"torch": probe_torch, "tensorflow": probe_tensorflow}[framework]()
    except ModuleNotFoundError:
        info = {"installed": False, "error": f"{framework} is not installed"}
    print(json.dumps(info))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
