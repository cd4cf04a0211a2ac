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
# # Memory, recomputed
#
# The companion notebook of the [Memory](../../memory/) article: it loads the run the article shows from
# `results/` through the result-file loader (`contract.files`), puts every process's peak resident memory in a
# pandas frame, and recomputes the article's fixed and per-sample cost of training: per workload, framework, mode
# and precision, the median peak RSS over processes at each batch size, and a least-squares line through those
# points (the intercept is the fixed cost, the slope the cost per sample).
#
# This page executed the notebook while the site was built. To run it yourself: download it (buttons above),
# and from a checkout with the project's environment (`make` creates `.venv`) run
# `.venv/bin/jupyter execute --inplace memory.ipynb`, or open it in any Jupyter using that environment.
# The last cell is yours to edit.

# %%
# None: the run the article shows by default (the site's own rule); or a run id from results/ to analyse that one.
RUN_ID = None

# %%
import numpy as np
import pandas as pd

from contract.files import complete_runs, load_run
from site_scripts.notebooks import companion
from site_scripts.text.labels import series_name

runs = [load_run(path) for path in complete_runs(companion.results_dir())]
run = companion.shown_run("memory.md", [r for r in runs if r.settings.shard is None], RUN_ID)
print(companion.describe(run))

# %% [markdown]
# ## Every training process's peak memory
#
# The peak is the kernel's own high-water mark of the child process (`os.wait4`); a process counts when it
# finished (`status == "ok"`) and has one.

# %%
MIB = 2**20
peaks = pd.DataFrame([{
    "workload": case.workload, "series": series_name(case), "batch_size": int(case.config["batch_size"]),
    "repeat": sample.repeat_index, "peak_bytes": sample.peak_host_rss_bytes,
} for case in run.cases if case.config.get("task", "train") == "train"
    for sample in case.samples if sample.status == "ok" and sample.peak_host_rss_bytes])
peaks.head()

# %% [markdown]
# ## The headline table: fixed and per-sample cost
#
# Per series, the median peak at each batch size, then a straight line through those medians by least squares.

# %%
points = peaks.groupby(["workload", "series", "batch_size"], sort=False).peak_bytes.median().reset_index()
points["peak_mib"] = points.pop("peak_bytes") / MIB


def line(group: pd.DataFrame) -> pd.Series:
    if group.batch_size.nunique() < 2:
        return pd.Series({"batches": len(group), "fixed_mib": np.nan, "per_sample_mib": np.nan})
    slope, intercept = np.polyfit(group.batch_size.astype(float), group.peak_mib, 1)
    return pd.Series({"batches": len(group), "fixed_mib": intercept, "per_sample_mib": slope})


headline = (points.groupby(["workload", "series"], sort=False)[["batch_size", "peak_mib"]].apply(line)
            .reset_index())
headline["batches"] = headline.batches.astype(int)
headline.round({"fixed_mib": 1, "per_sample_mib": 4})

# %% [markdown]
# ## The chart
#
# Peak memory against batch size for one workload, one marker per series and batch: the points of the article's
# chart for that workload (its lines are the fits in the table above).

# %%
import plotly.graph_objects as go

WORKLOAD = points.workload.iloc[0]
CHART_ID = f"chart-{WORKLOAD}-memory-vs-batch"
shown = points[points.workload == WORKLOAD]
figure = go.Figure([
    go.Scatter(name=name, mode="markers", x=rows.batch_size, y=rows.peak_mib.round(1))
    for name, rows in shown.groupby("series", sort=True)
])
figure.update_layout(title=f"{WORKLOAD}: peak host memory against batch size", height=460, template="plotly_white",
                     xaxis={"title": {"text": "batch size"}, "type": "log"},
                     yaxis={"title": {"text": "peak RSS (MiB)"}})
companion.show(figure, "notebook-memory-vs-batch")

# %% [markdown]
# ## Your turn
#
# How much does a compiled mode add over eager at each batch size? Change the workload or the two series
# (`shown.series.unique()` lists them) and run the cell.

# %%
BASELINE, OTHER = "PyTorch eager · fp32", "PyTorch compile · fp32"

by_series = shown.pivot_table(index="batch_size", columns="series", values="peak_mib")
if {BASELINE, OTHER} <= set(by_series.columns):
    comparison = pd.DataFrame({BASELINE: by_series[BASELINE], OTHER: by_series[OTHER],
                               "difference (MiB)": by_series[OTHER] - by_series[BASELINE]}).round(1)
else:
    comparison = f"pick two of: {', '.join(by_series.columns)}"
comparison
