"""What makes two runs the same hardware: one key, derived from what the run recorded of its host.

"AMD EPYC" alone cannot tell a CPU with native bf16 from one without it, and both have been our
machines; the key therefore names the CPU's identity and the instruction-set flags that decide kernels,
so cross-run comparisons and the hardware selector never mix them.
"""

from __future__ import annotations

from contract.schema import ISA_FLAGS, GpuInfo, HostInfo


def hardware_key(host: HostInfo, gpus: list[GpuInfo]) -> str:
    """'GenuineIntel 6/207/2 Intel(R) Xeon(R) Processor [avx2 fma avx512f ...] × 2 CPUs / no GPU'."""
    gpu_text = ", ".join(g.name for g in gpus) or "no GPU"
    if host.isa_flags is None:
        cpu = f"{host.cpu_model} (CPU identity not recorded)"
    else:
        identity = "/".join(str(v) for v in (host.cpu_family, host.cpu_model_number, host.cpu_stepping) if v is not None)
        flags = " ".join(flag for flag in ISA_FLAGS if host.isa_flags.get(flag))
        cpu = f"{host.cpu_vendor or ''} {identity} {host.cpu_model} [{flags or 'none of ' + ', '.join(ISA_FLAGS)}]".strip()
    return f"{cpu} × {host.usable_cpus} CPUs / {gpu_text}"
