"""The site preset: what `make site` runs for a newcomer, kept small so the whole command takes minutes.

Each framework's default mode only (every configuration the Home page's matrix shows: fp32 and mixed-precision
training, batch-1 and large-batch inference), and every study in a small form. Compiled modes belong to quick and
full; the run records which modes the preset left out and why.
"""

from __future__ import annotations

from collections import Counter

from benchmarks import registry
from benchmarks.presets import DEFAULT_MODES, PRESETS, plan_configs
from benchmarks.study import PlanContext
from benchmarks.studies import accuracy_parity, export, retracing

WORKLOADS = ("mlp", "resnet", "lstm", "transformer")


def test_the_site_preset_runs_default_modes_in_every_configuration_the_home_page_shows():
    site, quick = PRESETS["site"], PRESETS["quick"]
    known = registry.workloads()
    for name in WORKLOADS:
        for framework in ("torch", "tensorflow"):
            configs = plan_configs(known[name], site, "cpu", framework)
            assert {c["mode"] for c in configs} == set(DEFAULT_MODES[framework])
            kinds = Counter((c["task"], c["precision"], c["batch_size"] == 1) for c in configs)
            assert set(kinds) == {("train", "fp32", False), ("train", "bf16", False), ("infer", "fp32", True),
                                  ("infer", "fp32", False)}
            # Same sizes as quick, a subset of its configurations.
            quick_configs = plan_configs(known[name], quick, "cpu", framework)
            assert all(c in quick_configs for c in configs) and len(configs) < len(quick_configs)
    assert {"compile", "compile_step", "xla", "fit"} <= set(site.modes_left_out)


def test_every_study_the_site_preset_runs_is_in_a_small_form():
    context = lambda preset: PlanContext(preset, "cpu", ("torch", "tensorflow"), WORKLOADS)  # noqa: E731
    assert {t.workload for t in export.plan(context("site"))} == {"mlp"}
    assert len(export.plan(context("site"))) < len(export.plan(context("quick")))
    assert {t.workload for t in accuracy_parity.plan(context("site"))} == {"mlp"}
    site_scenarios = {(t.framework, t.config["scenario"]) for t in retracing.plan(context("site"))}
    assert len(site_scenarios) == 4 and site_scenarios < {(t.framework, t.config["scenario"])
                                                          for t in retracing.plan(context("quick"))}
    assert all(t.config["sizes"] == "quick" for t in [*export.plan(context("site")), *retracing.plan(context("site"))])
