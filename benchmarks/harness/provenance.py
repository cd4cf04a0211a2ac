"""Where a run came from: code, versions and hardware, read without importing any framework.

No host names or user names are recorded: result files are published.
"""

from __future__ import annotations

import hashlib
import json
import os
import platform
import shutil
import subprocess
import sys
from importlib import metadata
from pathlib import Path

import psutil

from benchmarks.harness import cpu
from benchmarks.paths import BENCHMARKS_DIR, REPO_ROOT
from contract import code_identity
from contract.hardware import hardware_key
from contract.schema import FrameworkRuntime, GpuInfo, HostInfo, Provenance

TRACKED_PACKAGES = (
    "torch", "tensorflow", "tensorflow-cpu", "keras", "numpy", "scipy", "pandas", "pydantic",
    "plotly", "mkdocs", "mkdocs-material", "pymdown-extensions", "rich", "psutil",
)


def code_hash(root: Path = BENCHMARKS_DIR) -> str:
    """Hash of every benchmark source file, so results from changed code are never mixed silently."""
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*.py")):
        digest.update(path.relative_to(root).as_posix().encode())
        digest.update(b"\0")
        digest.update(path.read_bytes())
    return digest.hexdigest()


def code_files() -> dict[str, str]:
    """Git blob id of every measuring and contract source file, by path relative to the checkout."""
    files = {}
    for root in code_identity.RECORDED_ROOTS:
        for path in sorted((REPO_ROOT / root).rglob("*.py")):
            files[path.relative_to(REPO_ROOT).as_posix()] = code_identity.git_blob_id(path.read_bytes())
    return files


def _git(*args: str) -> str | None:
    try:
        done = subprocess.run(["git", *args], cwd=REPO_ROOT, capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return done.stdout.strip() if done.returncode == 0 else None


def package_versions() -> dict[str, str]:
    versions = {}
    for name in TRACKED_PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            continue
    return versions


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.lower().startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def host_info(gpus: list[GpuInfo] | None = None) -> HostInfo:
    info = cpu.cpuinfo()
    host = HostInfo(
        cpu_model=cpu_model(),
        logical_cpus=os.cpu_count() or 1,
        usable_cpus=len(os.sched_getaffinity(0)),
        physical_cores=psutil.cpu_count(logical=False),
        ram_bytes=psutil.virtual_memory().total,
        os=f"{platform.system()} {platform.release()} ({platform.machine()})",
        machine=platform.machine(),
        cpu_vendor=info.get("vendor_id"),
        cpu_family=info.get("cpu family"),
        cpu_model_number=info.get("model"),
        cpu_stepping=info.get("stepping"),
        isa_flags=cpu.isa_flags(),
        kernel_release=platform.release(),
        hardware_key="",
    )
    host.hardware_key = hardware_key(host, gpus or [])
    return host


def nvidia_driver_version() -> str | None:
    if not shutil.which("nvidia-smi"):
        return None
    try:
        done = subprocess.run(
            ["nvidia-smi", "--query-gpu=driver_version", "--format=csv,noheader"],
            capture_output=True, text=True, timeout=20,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    lines = done.stdout.strip().splitlines()
    return lines[0].strip() if done.returncode == 0 and lines else None


def probe_framework(framework: str, timeout: float = 180.0, cpu_details: bool = False) -> dict:
    """Ask a framework, in a throwaway subprocess, whether it is installed and which GPUs it sees; with cpu_details,
    also what it will use on this CPU (oneDNN prints its ISA when ONEDNN_VERBOSE is on)."""
    env = child_environment(1)
    if cpu_details:
        env["ONEDNN_VERBOSE"] = "1"
    try:
        done = subprocess.run(
            [sys.executable, "-m", "benchmarks.harness.probe", framework, *(["--cpu"] if cpu_details else [])],
            cwd=REPO_ROOT, capture_output=True, text=True, timeout=timeout, env=env,
        )
    except subprocess.TimeoutExpired:
        return {"installed": False, "error": f"probe timed out after {timeout:.0f} s"}
    if done.returncode != 0:
        return {"installed": False, "error": (done.stderr.strip().splitlines() or ["probe failed"])[-1]}
    lines = done.stdout.strip().splitlines()
    info = json.loads(lines[-1])
    isa = next((line.split("isa:", 1)[1].strip() for line in lines if ",info,cpu,isa:" in line), None)
    if cpu_details and info.get("installed"):
        info["onednn_isa"] = isa
    return info


def child_environment(threads: int) -> dict[str, str]:
    """Environment for framework subprocesses: equal thread pools, quiet logs, oneDNN kept on.

    oneDNN is TensorFlow's default fast path on x86 CPUs, so it stays on
    (TF_ENABLE_ONEDNN_OPTS=1); only its start-up log lines are silenced.
    """
    env = dict(os.environ)
    env.update(
        OMP_NUM_THREADS=str(threads),
        MKL_NUM_THREADS=str(threads),
        TF_NUM_INTRAOP_THREADS=str(threads),
        TF_NUM_INTEROP_THREADS=str(threads),
        TF_CPP_MIN_LOG_LEVEL="2",
        TF_ENABLE_ONEDNN_OPTS="1",
        PYTHONWARNINGS="ignore",
        PYTHONPATH=os.pathsep.join(filter(None, [str(REPO_ROOT), env.get("PYTHONPATH", "")])),
    )
    return env


def framework_runtimes(frameworks: list[str]) -> dict[str, FrameworkRuntime]:
    """What each framework says it will use here (CPU capability, oneDNN's ISA, native bf16), asked in a child."""
    runtimes = {}
    for framework in frameworks:
        info = probe_framework(framework, cpu_details=True)
        if not info.get("installed"):
            runtimes[framework] = FrameworkRuntime(installed=False, reason=info.get("error"))
            continue
        runtimes[framework] = FrameworkRuntime(installed=True, version=info.get("version"),
                                               **{k: info.get(k) for k in ("cpu_capability", "onednn_isa",
                                                                            "native_bf16", "native_bf16_detail")})
    return runtimes


def collect(gpus: list[GpuInfo], runtimes: dict[str, FrameworkRuntime] | None = None) -> Provenance:
    commit = _git("rev-parse", "HEAD")
    status = _git("status", "--porcelain", "--untracked-files=no")
    return Provenance(
        git_commit=commit,
        git_dirty=(bool(status) if status is not None else None) if commit else None,
        code_hash=code_hash(),
        code_files=code_files(),
        python_version=platform.python_version(),
        packages=package_versions(),
        host=host_info(gpus),
        gpus=gpus,
        frameworks=runtimes or {},
    )
