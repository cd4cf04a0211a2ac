"""The CPU as /proc/cpuinfo describes it: identity and the instruction-set flags that decide kernels.

Read once per run for the provenance and once per child for the precision probe, so a run records
what the machine it ran on could do, not what a CPU name suggests.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from contract.schema import ISA_FLAGS


@cache
def cpuinfo() -> dict[str, str]:
    """The first processor's fields of /proc/cpuinfo (empty off Linux)."""
    fields: dict[str, str] = {}
    try:
        text = Path("/proc/cpuinfo").read_text()
    except OSError:
        return fields
    for line in text.splitlines():
        if not line.strip():
            if fields:
                break
            continue
        key, _, value = line.partition(":")
        fields.setdefault(key.strip(), value.strip())
    return fields


def isa_flags() -> dict[str, bool] | None:
    flags = cpuinfo().get("flags")
    if flags is None:
        return None
    present = set(flags.split())
    return {flag: flag in present for flag in ISA_FLAGS}


def has_native_bf16() -> bool:
    """bf16 dot-product instructions: AVX512_BF16 or AMX-BF16."""
    flags = isa_flags() or {}
    return bool(flags.get("avx512_bf16") or flags.get("amx_bf16"))


def native_bf16_text() -> str:
    flags = isa_flags()
    if flags is None:
        return "CPU flags not readable"
    found = [f for f in ("avx512_bf16", "amx_bf16") if flags.get(f)]
    return f"CPU has {' and '.join(found)}" if found else "CPU has neither avx512_bf16 nor amx_bf16"
