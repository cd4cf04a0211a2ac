"""A made-up run with memory phases over a batch sweep and accuracy-parity records: known answers for the pages."""

from __future__ import annotations

from contract.schema import StudyInfo
from tests.made_up_results import MIB, made_up_run
from tests.test_parity_stats import record

# peak = FIXED + PER_SAMPLE × batch per framework, so the page must show these costs.
FIXED = {"torch": 700 * MIB, "tensorflow": 900 * MIB}
PER_SAMPLE = {"torch": 2 * MIB, "tensorflow": 3 * MIB}


def made_up_memory_run(run_id: str = "20260301T000000Z-mem001"):
    run = made_up_run(with_failure=True, run_id=run_id)
    for case in run.cases:
        batch = int(case.config["batch_size"])
        case.config.update({"task": "train", "precision": "fp32",
                            "mode": "eager" if case.framework == "torch" else "function"})
        peak = FIXED[case.framework] + PER_SAMPLE[case.framework] * batch
        for sample in case.samples:
            if sample.status == "ok":
                sample.peak_host_rss_bytes = peak
                sample.memory_phases = {"harness": 40 * MIB, "import": 300 * MIB, "build": 400 * MIB,
                                        "steady": peak - 10 * MIB}
    compiled = next(c for c in run.cases if c.framework == "torch").model_copy(deep=True)
    compiled.config["mode"] = "compile"
    compiled.case_id = compiled.case_id + "/compile"
    run.cases.append(compiled)  # the memory page compares compiled modes; a run without any is not its run
    run.study_info["accuracy_parity"] = StudyInfo(title="parity", description="d", notes={"data": "digits"})
    run.studies = [record(framework, seed, [0.5, 0.9 + 0.01 * seed - (0.02 if framework == "tensorflow" else 0)],
                          seconds_to_target=2.0 + seed)
                   for seed in range(5) for framework in ("torch", "tensorflow")]
    run.studies.append(record("tensorflow", 5, [], status="crashed"))
    return run
