"""A made-up but valid RunResult for tests of everything that reads results.

The numbers are invented and distinct (no two medians alike), so a test can find each
one in a rendered table or figure and know where it came from.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from contract.schema import (
    SCHEMA_VERSION,
    CaseResult,
    CaseSummary,
    FrameworkComparison,
    HostInfo,
    JudgingRules,
    PresetInfo,
    ProcessSample,
    Provenance,
    RunResult,
    RunSettings,
    WorkloadInfo,
)

STARTED = datetime(2026, 1, 1, 0, 0, tzinfo=timezone.utc)
# The rules a made-up run records it was judged by (distinct from today's, where a test needs to tell them apart).
RULES = dict(confidence_level=0.95, interval_method="percentile bootstrap of the median of the paired step-time ratios",
             min_pairs_for_verdict=6, fingerprint_tolerance={"fp32": 1e-3, "bf16": 5e-2, "fp16": 5e-2},
             default_modes={"torch": ["eager"], "tensorflow": ["function"]}, timing_run=True, reference_run=False,
             loaded_machine_fraction=0.10)


def rules(**overrides) -> JudgingRules:
    return JudgingRules(**{**RULES, **overrides})


def preset_definition(name: str = "quick", processes: int = 1, timeout: float = 300.0, timing: bool = True,
                      reference: bool = False) -> PresetInfo:
    return PresetInfo(name=name, purpose=f"made-up {name} preset", processes_per_case=processes,
                      timeout_seconds=timeout, timing=timing, reference=reference)
PROCESSES = 4
MIB = 2**20
SIZES = {"n_samples": 1024, "input_dim": 128, "hidden_units": 256, "hidden_layers": 2, "n_classes": 10}

# (batch size, framework) -> (samples/s q1, median, q3, final loss)
THROUGHPUT = {
    (128, "torch"): (5012.5, 5123.4, 5240.0, 2.301234),
    (128, "tensorflow"): (4210.0, 4321.5, 4400.25, 2.301301),
    (256, "torch"): (8790.0, 8901.2, 9050.5, 2.298765),
    (256, "tensorflow"): (8650.0, 8765.4, 8880.0, 2.298801),
    (4096, "torch"): (9300.0, 9412.3, 9500.0, 2.297111),
}
FAILED_BATCH = 4096  # TensorFlow times out here when with_failure=True
FAILURE_REASON = "killed after 600 s | no step finished"
FAILURE_STDERR = "Traceback (most recent call last):\n  File \"impl.py\", line 1\nRuntimeError: </script> out of time"


def _ok_sample(repeat_index: int, framework: str, batch: int, samples_per_second: float, loss: float) -> ProcessSample:
    step = batch / samples_per_second
    return ProcessSample(
        repeat_index=repeat_index,
        status="ok",
        started_utc=STARTED + timedelta(seconds=10 * repeat_index),
        wall_seconds=8.5,
        peak_host_rss_bytes=(600 + repeat_index) * MIB,
        framework_version="2.5.1" if framework == "torch" else "2.18.0",
        device_name="cpu",
        intra_op_threads=4,
        inter_op_threads=1,
        first_step_seconds=0.75 if framework == "torch" else 1.25,
        step_seconds=[step * f for f in (0.99, 1.0, 1.01, 1.0)],
        final_loss=loss,
    )


def _ok_case(framework: str, batch: int) -> CaseResult:
    q1, median, q3, loss = THROUGHPUT[(batch, framework)]
    samples = [_ok_sample(i, framework, batch, median, loss) for i in range(PROCESSES)]
    return CaseResult(
        case_id=f"mlp/{framework}/batch{batch}",
        workload="mlp",
        framework=framework,
        device="cpu",
        config={**SIZES, "batch_size": batch},
        samples=samples,
        summary=CaseSummary(
            processes_ok=PROCESSES,
            processes_failed=0,
            step_seconds_median=batch / median,
            step_seconds_q1=batch / q3,
            step_seconds_q3=batch / q1,
            within_process_iqr_over_median=0.01,
            samples_per_second_median=median,
            samples_per_second_q1=q1,
            samples_per_second_q3=q3,
            first_step_seconds_median=0.75 if framework == "torch" else 1.25,
            peak_host_rss_bytes_median=601 * MIB,
            final_loss_median=loss,
        ),
    )


def _failed_case(framework: str) -> CaseResult:
    """Every process of this case timed out: no summary, only failures."""
    samples = [
        ProcessSample(
            repeat_index=i,
            status="timeout",
            reason=FAILURE_REASON,
            stderr_tail=FAILURE_STDERR,
            started_utc=STARTED + timedelta(minutes=5 + i),
            wall_seconds=600.0,
        )
        for i in range(PROCESSES)
    ]
    return CaseResult(
        case_id=f"mlp/{framework}/batch{FAILED_BATCH}",
        workload="mlp",
        framework=framework,
        device="cpu",
        config={**SIZES, "batch_size": FAILED_BATCH},
        samples=samples,
        summary=None,
    )


def _comparison(batch: int, ratio: float | None, ci: tuple[float, float] | None, verdict: str, n_pairs: int) -> FrameworkComparison:
    return FrameworkComparison(
        workload="mlp",
        device="cpu",
        config={**SIZES, "batch_size": batch},
        numerator="torch",
        denominator="tensorflow",
        numerator_case_id=f"mlp/torch/batch{batch}",
        denominator_case_id=None if batch == FAILED_BATCH else f"mlp/tensorflow/batch{batch}",  # every TF process failed
        min_pairs=5,
        fingerprint_tolerance=1e-3,
        n_pairs=n_pairs,
        ratio_median=ratio,
        ci_low=ci[0] if ci else None,
        ci_high=ci[1] if ci else None,
        confidence_level=0.95,
        verdict=verdict,
    )


def made_up_run(*, with_failure: bool = False, run_id: str = "20260101T000000Z-abc123") -> RunResult:
    """Two frameworks on two batch sizes, one comparison each; optionally a third batch size
    on which every TensorFlow process timed out (PyTorch measured fine)."""
    cases = [_ok_case(fw, batch) for batch in (128, 256) for fw in ("torch", "tensorflow")]
    comparisons = [
        _comparison(128, 0.8435, (0.8123, 0.8765), "numerator_faster", PROCESSES),
        _comparison(256, 0.9847, (0.9511, 1.0234), "tie", PROCESSES),
    ]
    if with_failure:
        cases += [_ok_case("torch", FAILED_BATCH), _failed_case("tensorflow")]
        comparisons.append(_comparison(FAILED_BATCH, None, None, "insufficient_data", 0))
    return RunResult(
        schema_version=SCHEMA_VERSION,
        run_id=run_id,
        status="complete",
        started_utc=STARTED,
        finished_utc=STARTED + timedelta(minutes=42, seconds=7),
        command="fwbench run --preset quick",
        workloads={"mlp": WorkloadInfo(title="MLP classifier", description="A made-up description.",
                                       hyperparameters={"optimizer": "sgd_momentum", "learning_rate": 0.0123})},
        settings=RunSettings(
            preset="quick",
            preset_definition=preset_definition(),
            workloads=["mlp"],
            frameworks=["torch", "tensorflow"],
            device_requested="auto",
            device="cpu",
            processes_per_case=PROCESSES,
            warmup_steps=5,
            measured_steps=20,
            timeout_seconds=600.0,
            threads=4,
        ),
        provenance=Provenance(
            git_commit="0123456789abcdef0123456789abcdef01234567",
            git_dirty=False,
            code_hash="feedfacecafebeef",
            python_version="3.11.7",
            packages={"torch": "2.5.1", "tensorflow": "2.18.0", "numpy": "2.1.3"},
            host=HostInfo(
                cpu_model="Made-Up CPU 9000 @ 3.00GHz",
                logical_cpus=16,
                usable_cpus=8,
                physical_cores=8,
                ram_bytes=64 * 2**30,
                os="Linux-6.1.0-made-up-x86_64",
                machine="x86_64",
                hardware_key="Made-Up CPU 9000 @ 3.00GHz (CPU identity not recorded) × 8 CPUs / no GPU",
            ),
            gpus=[],
        ),
        cases=cases,
        comparisons=comparisons,
        rules=rules(),
    )


# --- a whole suite: two workloads, every mode, sweeps, mixed precision, inference, failures ---------

SUITE_PROCESSES = 6
SUITE_LATENCY_CALLS = 12
SUITE_WORKLOADS = {
    "mlp": {
        "info": WorkloadInfo(title="MLP classifier", description="A made-up fully connected network.",
                             hyperparameters={"optimizer": "sgd_momentum", "learning_rate": 0.01}),
        "sizes": {"n_samples": 1024, "input_dim": 128, "hidden_units": 256, "n_classes": 10},
        "batch": 128, "sweep": (32, 512), "infer_batch": 1024, "base": 50000.0, "flops_per_sample": 608316.0,
        "latency_ms": 0.071, "layouts": {},
    },
    "resnet": {
        "info": WorkloadInfo(title="ResNet (small)", description="A made-up residual network on 32×32 images.",
                             hyperparameters={"optimizer": "sgd_momentum", "weight_decay": 0.0005}),
        "sizes": {"image_size": 32, "width": 16, "n_classes": 10},
        "batch": 16, "sweep": (8, 32, 64), "infer_batch": 64, "base": 900.0, "flops_per_sample": 1.67e8,
        "latency_ms": 4.2, "layouts": {"torch": ("channels_first", "channels_last")},
    },
}
SUITE_TRAIN_MODES = {"torch": ("eager", "compile"), "tensorflow": ("eager", "function", "xla", "fit")}
SUITE_DEFAULT_MODE = {"torch": "eager", "tensorflow": "function"}
SUITE_INFER_MODES = {"torch": ("eager", "compile"), "tensorflow": ("function", "xla")}
MODE_SPEED = {("torch", "eager"): 1.0, ("torch", "compile"): 1.3, ("tensorflow", "eager"): 0.3,
              ("tensorflow", "function"): 1.0, ("tensorflow", "xla"): 1.2, ("tensorflow", "fit"): 1.1}
MODE_DETAIL = {("torch", "eager"): "eager", ("torch", "compile"): "torch.compile (inductor, default mode)",
               ("tensorflow", "eager"): "eager (no tf.function)", ("tensorflow", "function"): "tf.function",
               ("tensorflow", "xla"): "tf.function(jit_compile=True)",
               ("tensorflow", "fit"): "Keras fit, an epoch of 8 steps per call (jit_compile=False)"}
COMPILE_SECONDS = {("torch", "eager"): 0.004, ("torch", "compile"): 16.5, ("tensorflow", "eager"): 0.07,
                   ("tensorflow", "function"): 0.18, ("tensorflow", "xla"): 0.65, ("tensorflow", "fit"): 0.19}
FIT_STEPS_PER_CALL = 8

# (workload, framework, task, precision, mode, layout, batch) -> (status, reason, processes that fail)
SUITE_FAILURES = {
    ("resnet", "tensorflow", "train", "fp32", "xla", None, 16):
        ("out_of_memory", "RESOURCE_EXHAUSTED: OOM when allocating tensor | in XLA", SUITE_PROCESSES),
    ("resnet", "tensorflow", "train", "fp32", "function", None, 64): ("timeout", "killed after 900 s", SUITE_PROCESSES),
    ("resnet", "tensorflow", "train", "fp32", "function", None, 8): ("crashed", "Segmentation fault (core dumped)", 2),
}
# The mlp bf16 losses differ by 8 %: beyond the 5e-2 fingerprint tolerance, so that comparison gets no verdict.
DISAGREEING_LOSS = {("mlp", "train", "bf16", "tensorflow"): 2.5}

# (workload, task, precision, batch) -> (verdict, ratio median, CI): stated, like the ratios a real run records.
SUITE_VERDICTS = {
    ("mlp", "train", "fp32", 128): ("numerator_faster", 0.8123, (0.7811, 0.8432)),
    ("mlp", "train", "fp32", 32): ("tie", 0.9876, (0.9512, 1.0301)),
    ("mlp", "train", "fp32", 512): ("denominator_faster", 1.2345, (1.1901, 1.2799)),
    ("mlp", "train", "bf16", 128): ("fingerprints_disagree", 0.7012, (0.6801, 0.7234)),
    ("mlp", "infer", "fp32", 1): ("numerator_faster", 0.4321, (0.4102, 0.4555)),
    ("mlp", "infer", "fp32", 1024): ("tie", 1.0123, (0.9701, 1.0555)),
    ("resnet", "train", "fp32", 16): ("denominator_faster", 1.1111, (1.0501, 1.1702)),
    ("resnet", "train", "fp32", 8): ("insufficient_data", 0.9345, (0.9001, 0.9702)),
    ("resnet", "train", "fp32", 32): ("tie", 1.0056, (0.9811, 1.0312)),
    ("resnet", "train", "fp32", 64): ("insufficient_data", None, None),
    ("resnet", "train", "bf16", 16): ("numerator_faster", 0.6789, (0.6502, 0.7077)),
    ("resnet", "infer", "fp32", 1): ("denominator_faster", 1.5432, (1.4801, 1.6102)),
    ("resnet", "infer", "fp32", 64): ("tie", 0.9987, (0.9602, 1.0421)),
}
SUITE_PEAKS = {("torch", "fp32"): 1.2345e11, ("torch", "bf16"): 2.4567e11, ("tensorflow", "fp32"): 1.1234e11}
SUITE_PEAK_FAILURE = ("tensorflow", "bf16", "unsupported", "bf16 matmul is not supported on this CPU")
EQUIVALENCE_FAILURE = "TensorFlow model could not be built: BatchNorm momentum differs"


def _suite_configs(workload: str) -> list[tuple[str, dict]]:
    """(framework, config) for every case: all training modes at the reference batch, sweeps and bf16 in the
    default modes, inference at batch 1 and at a large batch (the same rule as benchmarks.presets)."""
    spec = SUITE_WORKLOADS[workload]
    configs = []
    for framework in ("torch", "tensorflow"):
        layouts = spec["layouts"].get(framework, (None,))
        preferred = layouts[-1]

        def config(task, precision, mode, batch, layout):
            return {**spec["sizes"], "task": task, "precision": precision, "mode": mode, "batch_size": batch,
                    **({"layout": layout} if layout else {})}

        default = SUITE_DEFAULT_MODE[framework]
        configs += [(framework, config("train", "fp32", m, spec["batch"], lay))
                    for m in SUITE_TRAIN_MODES[framework] for lay in layouts]
        configs += [(framework, config("train", "fp32", default, b, preferred)) for b in spec["sweep"]]
        configs += [(framework, config("train", "bf16", default, spec["batch"], preferred))]
        configs += [(framework, config("infer", "fp32", m, b, preferred))
                    for b in (1, spec["infer_batch"]) for m in SUITE_INFER_MODES[framework]]
    return configs


def _suite_case(workload: str, framework: str, config: dict, index: int, calibrate: bool) -> CaseResult:
    from contract.schema import case_id_for
    from contract.stats import summarize

    spec = SUITE_WORKLOADS[workload]
    task, precision, mode, batch = config["task"], config["precision"], config["mode"], config["batch_size"]
    layout = config.get("layout")
    distinct = 1 + 0.0037 * index  # no two cases share a number
    if task == "infer" and batch == 1:
        step = spec["latency_ms"] / 1000 / MODE_SPEED[(framework, mode)] * distinct
        calls = SUITE_LATENCY_CALLS
    else:
        throughput = spec["base"] * MODE_SPEED[(framework, mode)] * (batch / spec["batch"]) ** 0.3 * distinct
        throughput *= (1.4 if precision == "bf16" else 1.0) * (3.0 if task == "infer" else 1.0)
        throughput *= 1.05 if layout == "channels_last" else 1.0
        step = batch / throughput
        calls = 4
    steps_per_call = FIT_STEPS_PER_CALL if mode == "fit" else 1
    loss = DISAGREEING_LOSS.get((workload, task, precision, framework), 2.3 if task == "train" else 401.5)
    failure = SUITE_FAILURES.get((workload, framework, task, precision, mode, layout, batch))
    samples = []
    for i in range(SUITE_PROCESSES):
        started = STARTED + timedelta(seconds=30 * index + i)
        if failure and i < failure[2]:
            samples.append(ProcessSample(repeat_index=i, status=failure[0], reason=failure[1], started_utc=started,
                                         wall_seconds=12.0, stderr_tail=f"{failure[0]}: {failure[1]}"))
            continue
        per_process = step * (1 + 0.01 * (i - 2))
        # Latency calls spread over ±11 % with one slow call in each process: the p99 differs from the p50.
        shape = [1 + 0.02 * (k - calls // 2) for k in range(calls - 1)] + [1.6] if calls > 4 else [0.99, 1.0, 1.01, 1.0]
        samples.append(ProcessSample(
            repeat_index=i, status="ok", started_utc=started, wall_seconds=9.5,
            peak_host_rss_bytes=(700 + index) * MIB, framework_version="2.5.1" if framework == "torch" else "2.18.0",
            device_name="cpu", intra_op_threads=4, inter_op_threads=1, mode_detail=MODE_DETAIL[(framework, mode)],
            first_step_seconds=COMPILE_SECONDS[(framework, mode)] * distinct + steps_per_call * per_process,
            steps_per_call=steps_per_call, step_seconds=[per_process * f for f in shape],
            final_loss=loss * (1 + 1e-6 * i) + (1e-5 if framework == "tensorflow" else 0.0),
        ))
    flops = spec["flops_per_sample"] * batch * (3 if task == "train" else 1) if calibrate else None
    case = CaseResult(case_id=case_id_for(workload, framework, "cpu", config), workload=workload, framework=framework,
                      device="cpu", config=config, flops_per_step=flops, samples=samples)
    peak = SUITE_PEAKS.get((framework, precision)) if calibrate else None
    return case.model_copy(update={"summary": summarize(case, peak)})


def _suite_comparisons(cases: list[CaseResult]) -> list[FrameworkComparison]:
    """One per shared configuration; each side its fastest mode, fingerprints from the cases themselves."""
    from contract.stats import FINGERPRINT_TOLERANCE, MIN_PAIRS_FOR_VERDICT, fastest, fingerprint, tolerance_for

    comparisons = []
    for (workload, task, precision, batch), (verdict, ratio, ci) in SUITE_VERDICTS.items():
        group = [c for c in cases if c.workload == workload and c.config["task"] == task
                 and c.config["precision"] == precision and c.config["batch_size"] == batch]
        num, den = (fastest([c for c in group if c.framework == fw]) for fw in ("torch", "tensorflow"))
        relative, agree = fingerprint([c for c in group if c.framework == "torch"],
                                      [c for c in group if c.framework == "tensorflow"], FINGERPRINT_TOLERANCE)
        pairs = ({s.repeat_index for s in num.samples if s.status == "ok"} & {s.repeat_index for s in den.samples
                 if s.status == "ok"}) if num and den else set()
        assert (verdict == "fingerprints_disagree") == (agree is False), (workload, task, precision, batch)
        assert (verdict == "insufficient_data") == (len(pairs) < MIN_PAIRS_FOR_VERDICT), (workload, batch)
        comparisons.append(FrameworkComparison(
            workload=workload, device="cpu", config=group[0].shared_config, numerator="torch",
            denominator="tensorflow", numerator_mode=num.config["mode"] if num else None,
            denominator_mode=den.config["mode"] if den else None, fingerprint_relative_difference=relative,
            numerator_case_id=num.case_id if num else None, denominator_case_id=den.case_id if den else None,
            min_pairs=MIN_PAIRS_FOR_VERDICT, fingerprint_tolerance=tolerance_for(FINGERPRINT_TOLERANCE, precision),
            fingerprints_agree=agree, n_pairs=len(pairs), ratio_median=ratio, ci_low=ci[0] if ci else None,
            ci_high=ci[1] if ci else None, confidence_level=0.95, verdict=verdict,
        ))
    return comparisons


def made_up_suite_run(*, calibrate: bool = True, run_id: str = "20260201T000000Z-suite1") -> RunResult:
    """Two workloads in every mode (ResNet with two torch layouts), a batch sweep, bf16, inference at batch 1
    and at a large batch, fully and partly failed cases, a comparison with every verdict, an equivalence
    proof that passed and one that failed, and matmul peaks (one of them failed). calibrate=False drops
    FLOP counts, peaks and the equivalence proof, as `fwbench run --skip-calibration` does."""
    from contract.schema import EquivalenceRecord, PeakMatmul

    cases = [_suite_case(workload, framework, config, index, calibrate)
             for index, (workload, framework, config) in enumerate(
                 (w, fw, cfg) for w in SUITE_WORKLOADS for fw, cfg in _suite_configs(w))]
    run = made_up_run(run_id=run_id)
    equivalence, peaks = [], []
    if calibrate:
        equivalence = [
            EquivalenceRecord(workload="mlp", status="ok", sizes={**SUITE_WORKLOADS["mlp"]["sizes"], "batch_size": 128},
                              trainable_parameters={"torch": 101386, "tensorflow": 101386},
                              forward_max_abs_diff=1.1921e-06, loss_abs_diff=2.3842e-07, loss_after_step_abs_diff=5.0306e-10,
                              forward_after_step_max_abs_diff=8.3447e-07, weights_after_step_max_abs_diff=1.4901e-08,
                              tolerances={"forward_atol": 1e-4, "loss_atol": 1e-5, "weights_after_step_atol": 1e-5},
                              equivalent=True),
            EquivalenceRecord(workload="resnet", status="failed", reason=EQUIVALENCE_FAILURE,
                              sizes={**SUITE_WORKLOADS["resnet"]["sizes"], "batch_size": 16},
                              trainable_parameters={"torch": 175258}),
        ]
        peaks = [PeakMatmul(framework=fw, device="cpu", precision=p, matrix_size=2048, flops_per_second=v)
                 for (fw, p), v in SUITE_PEAKS.items()]
        framework, precision, status, reason = SUITE_PEAK_FAILURE
        peaks.append(PeakMatmul(framework=framework, device="cpu", precision=precision, matrix_size=2048,
                                status=status, reason=reason))
    return run.model_copy(update={
        "command": "fwbench run --preset full --device cpu --out results",
        "settings": run.settings.model_copy(update={
            "preset": "full", "preset_definition": preset_definition("full", SUITE_PROCESSES, 900.0, reference=True),
            "workloads": list(SUITE_WORKLOADS), "device_requested": "cpu",
            "processes_per_case": SUITE_PROCESSES, "warmup_steps": 3, "measured_steps": 4,
            "latency_calls": SUITE_LATENCY_CALLS, "timeout_seconds": 900.0, "calibrate": calibrate}),
        "workloads": {name: spec["info"] for name, spec in SUITE_WORKLOADS.items()},
        "peak_matmul": peaks,
        "equivalence": equivalence,
        "cases": cases,
        "comparisons": _suite_comparisons(cases),
        "rules": rules(reference_run=True),
    })


GPU_NAME = "NVIDIA H200"
NOT_INSTALLED = "not measured: TensorFlow is not installed on this machine"


def made_up_gpu_run(run_id: str = "20260301T000000Z-h200gp") -> RunResult:
    """What the GPU machine makes: a torch-only run on an H200 (TensorFlow requested but not installed, so its cases
    are planned and recorded as not measured), with fp16 beside bf16, device memory counters, matmul peaks on the GPU
    and the largest-batch search. Built from the made-up suite run's torch cases, moved to CUDA."""
    from contract import stats
    from contract.hardware import hardware_key
    from contract.schema import GpuInfo, PeakMatmul, StudyRecord, case_id_for

    suite = made_up_suite_run(run_id=run_id)
    cases = []
    for case in suite.cases:
        if case.framework != "torch":
            continue
        precisions = ["fp16", "bf16"] if case.config.get("precision") == "bf16" else [case.config.get("precision")]
        for precision in precisions:
            config = {**case.config, "precision": precision}
            samples = [s.model_copy(update={
                "device_name": GPU_NAME, "device_peak_memory_bytes": (900 + 10 * s.repeat_index) * MIB,
                "device_memory_phases": {"build_allocated": 300 * MIB, "steady_allocated": 420 * MIB,
                                         "steady_peak": (900 + 10 * s.repeat_index) * MIB,
                                         "steady_reserved": 1024 * MIB},
                "step_seconds": [t / 20 for t in s.step_seconds] if s.step_seconds else s.step_seconds,
                "precision_path": "native" if precision != "fp32" else None,
            }) for s in case.samples]
            moved = case.model_copy(update={"device": "cuda", "config": config, "samples": samples,
                                            "case_id": case_id_for(case.workload, "torch", "cuda", config),
                                            "summary": None})
            cases.append(moved.model_copy(update={"summary": stats.summarize(moved, 4.0e14)}))
    not_measured = []
    for case in cases:
        config = {**case.config, "mode": "function"}
        not_measured.append(CaseResult(case_id=case_id_for(case.workload, "tensorflow", "cuda", config),
                                       workload=case.workload, framework="tensorflow", device="cuda", config=config,
                                       not_measured=NOT_INSTALLED))
    not_measured = list({c.case_id: c for c in not_measured}.values())
    gpus = [GpuInfo(name=GPU_NAME, memory_bytes=150_000_000_000, driver_version="580.00", cuda_version="12.8",
                    cudnn_version="91000")]
    host = suite.provenance.host.model_copy(update={"cpu_model": "Intel(R) Xeon(R) Platinum 8480+", "usable_cpus": 16,
                                                      "logical_cpus": 16})
    host = host.model_copy(update={"hardware_key": hardware_key(host, gpus)})
    gpu_rules = rules(reference_run=True, equivalence_margin=0.05)
    all_cases = cases + not_measured
    peaks = [PeakMatmul(framework="torch", device="cuda", precision=p, matrix_size=8192, flops_per_second=v)
             for p, v in (("fp32", 4.9e14), ("bf16", 7.9e14), ("fp16", 7.8e14))]
    max_batch = [StudyRecord(
        study="max_batch", record_id=f"max_batch/torch/{w}/mode=eager/precision=bf16", framework="torch", workload=w,
        device="cuda", config={"mode": "eager", "precision": "bf16"}, status="ok", started_utc=STARTED,
        wall_seconds=61.0, data={"start": 64, "limit": 4096, "largest_fitting": 1536, "smallest_failing": 1632,
                                 "stopped_because": "bisected to within 1/16",
                                 "attempts": [{"batch_size": 64, "status": "ok"}, {"batch_size": 2048,
                                               "status": "out_of_memory", "reason": "CUDA out of memory"}]})
        for w in ("mlp", "resnet")]
    settings = suite.settings.model_copy(update={
        "preset": "gpu", "device": "cuda", "device_requested": "auto", "frameworks": ["torch", "tensorflow"],
        "frameworks_not_installed": ["tensorflow"],
        "preset_definition": preset_definition("gpu", 5, 1200.0, reference=True)})
    return suite.model_copy(update={
        "command": "fwbench run --preset gpu --frameworks torch,tensorflow",
        "settings": settings, "cases": all_cases, "peak_matmul": peaks, "equivalence": [], "studies": max_batch,
        "comparisons": stats.compare(all_cases, gpu_rules), "rules": gpu_rules,
        "provenance": suite.provenance.model_copy(update={"host": host, "gpus": gpus}),
    })
