# ---
# jupyter:
#   jupytext:
#     text_representation:
#       extension: .py
#       format_name: percent
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Performance, recomputed
#
# The companion notebook of the [Performance](../../performance/) article: it loads the run the article shows
# from `results/` through the result-file loader (`contract.files`), puts its cases and processes in pandas
# frames, and recomputes the article's overview, *Training throughput at a glance*, from the raw per-process
# step times: per training configuration, each framework in the mode its comparison used, the median over
# processes of `batch size / that process's median step time`, with the interquartile range.
#
# This page executed the notebook while the site was built. To run it yourself: download it (buttons above),
# and from a checkout with the project's environment (`make` creates `.venv`) run
# `.venv/bin/jupyter execute --inplace performance.ipynb`, or open it in any Jupyter using that environment.
# The last cell is yours to edit.

# %%
# None: the run the article shows by default (the site's own rule); or a run id from results/ to analyse that one.
RUN_ID = None

# %%
import numpy as np
import pandas as pd

from contract.files import complete_runs, load_run
from site_scripts.notebooks import companion
from site_scripts.text.labels import ConfigurationLabels, configuration_key, framework_name

runs = [load_run(path) for path in complete_runs(companion.results_dir())]
run = companion.shown_run("performance.md", [r for r in runs if r.settings.shard is None], RUN_ID)
print(companion.describe(run))

# %% [markdown]
# ## The run as frames
#
# One row per case (workload, framework and configuration) and one row per process of a case. A process counts
# when it finished (`status == "ok"`) and was not rejected for machine load (`admitted`).

# %%
training = [case for case in run.cases if case.config.get("task") == "train"]
configuration_label = ConfigurationLabels(training)
cases = pd.DataFrame([{
    "case_id": case.case_id, "workload": case.workload, "framework": case.framework, "device": case.device,
    "task": case.config.get("task"), "mode": case.config.get("mode"), "precision": case.config.get("precision", "fp32"),
    "batch_size": int(case.config["batch_size"]),
    "configuration": configuration_key(case.workload, case.device, case.shared_config),
} for case in run.cases])
processes = pd.DataFrame([{
    "case_id": case.case_id, "repeat": sample.repeat_index, "status": sample.status, "admitted": sample.admitted,
    "median_step_seconds": float(np.median(sample.step_seconds)) if sample.step_seconds else np.nan,
} for case in run.cases for sample in case.samples])
cases.head()

# %%
counted = processes[(processes.status == "ok") & processes.admitted & processes.median_step_seconds.notna()]
counted = counted.merge(cases[["case_id", "batch_size"]], on="case_id")
counted["samples_per_second"] = counted.batch_size / counted.median_step_seconds
per_case = counted.groupby("case_id").agg(
    processes=("repeat", "size"),
    step_seconds_median=("median_step_seconds", "median"),
    throughput_q1=("samples_per_second", lambda v: v.quantile(0.25)),
    throughput_median=("samples_per_second", "median"),
    throughput_q3=("samples_per_second", lambda v: v.quantile(0.75)),
).reset_index()
per_case.head()

# %% [markdown]
# ## The headline table
#
# Which case stands for each framework in a configuration: the one the run's comparison of that configuration
# used (its default or best path, as recorded); where the run compared nothing, the framework's fastest mode.

# %%
first_comparison = {}
for comparison in run.comparisons:
    key = configuration_key(comparison.workload, comparison.device, comparison.config)
    first_comparison.setdefault(key, comparison)


def represented(group: pd.DataFrame) -> pd.DataFrame:
    comparison = first_comparison.get(group.configuration.iloc[0])
    framework = group.framework.iloc[0]
    if comparison is not None and framework in (comparison.numerator, comparison.denominator):
        case_id = comparison.numerator_case_id if framework == comparison.numerator else comparison.denominator_case_id
        return group[group.case_id == case_id]
    measured = group.dropna(subset=["step_seconds_median"])
    return measured.nsmallest(1, "step_seconds_median")


train = cases[cases.task == "train"].merge(per_case, on="case_id", how="left")
train["label"] = [configuration_label.of_case(run.case(case_id)) for case_id in train.case_id]
headline = (train.groupby(["configuration", "framework"], group_keys=False, sort=False)[train.columns]
            .apply(represented).dropna(subset=["throughput_median"]))
headline = headline[["workload", "label", "framework", "mode", "precision", "batch_size", "processes",
                     "throughput_median", "throughput_q1", "throughput_q3"]].reset_index(drop=True)
headline["framework"] = headline.framework.map(framework_name)
headline.round({"throughput_median": 1, "throughput_q1": 1, "throughput_q3": 1})

# %% [markdown]
# ## The chart
#
# The same numbers as the article's overview chart, drawn on one log axis: bars are medians over processes,
# error bars span the interquartile range.

# %%
import plotly.graph_objects as go

CHART_ID = "chart-throughput"
figure = go.Figure([
    go.Bar(name=name, x=rows.label, y=rows.throughput_median,
           error_y={"type": "data", "symmetric": False, "array": rows.throughput_q3 - rows.throughput_median,
                    "arrayminus": rows.throughput_median - rows.throughput_q1})
    for name, rows in headline.groupby("framework", sort=False)
])
figure.update_layout(title="Training throughput, each framework as its comparison represented it", barmode="group",
                     yaxis={"title": {"text": "training throughput (samples/s)"}, "type": "log"}, height=480,
                     template="plotly_white")
companion.show(figure, "notebook-performance-throughput")

# %% [markdown]
# ## Your turn
#
# Every mode of one workload, task and precision side by side (the overview shows only the mode that represented
# each framework). Change the three names and run the cell; `cases.workload.unique()` lists the workloads.

# %%
WORKLOAD, TASK, PRECISION = "mlp", "train", "fp32"

every_mode = cases.merge(per_case, on="case_id")
chosen = every_mode[(every_mode.workload == WORKLOAD) & (every_mode.task == TASK) & (every_mode.precision == PRECISION)]
chosen.pivot_table(index="batch_size", columns=["framework", "mode"], values="throughput_median").round(1)
