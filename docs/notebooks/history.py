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
# # History, recomputed
#
# The companion notebook of the [History](../../history/) article. History draws on every timing run in
# `results/` at once, so this notebook loads them all through the result-file loader (`contract.files`), puts
# every process of every default-mode fp32 training case in one pandas frame, and recomputes the article's
# headline figure across runs: per hardware class, preset, case and run, the median over processes of
# `batch size / that process's median step time`. The article draws each workload's reference batch; the frame
# keeps every batch.
#
# This page executed the notebook while the site was built. To run it yourself: download it (buttons above),
# and from a checkout with the project's environment (`make` creates `.venv`) run
# `.venv/bin/jupyter execute --inplace history.ipynb`, or open it in any Jupyter using that environment.
# The last cell puts two runs side by side; it is yours to edit.

# %%
import numpy as np
import pandas as pd

from contract.files import complete_runs, load_run
from site_scripts.notebooks import companion
from site_scripts.text.formatting import round_significant, utc_date
from site_scripts.analysis.selection import reference_batch
from site_scripts.text.labels import case_label, hardware_slug, workload_slug, workload_title
from site_scripts.text.provenance_text import hardware_class, versions

runs = [load_run(path) for path in complete_runs(companion.results_dir())]
timing = [run for run in runs if run.settings.shard is None and run.is_timing_run]
pd.DataFrame([{"run": run.run_id, "preset": run.settings.preset, "hardware": hardware_class(run),
               "versions": ", ".join(versions(run))} for run in timing])

# %% [markdown]
# ## Every process of every default-mode training case
#
# Default modes (PyTorch eager, TensorFlow `tf.function`) at fp32, the cases History follows; a process counts
# when it finished and measured steps.

# %%
processes = pd.DataFrame([{
    "hardware": hardware_class(run), "preset": run.settings.preset,
    "run": f"{utc_date(run.started_utc)} · {run.run_id[-6:]}", "run_id": run.run_id,
    "case": f"{workload_title(run, case.workload)} · {case_label(case)}", "batch": int(case.config["batch_size"]),
    "reference_batch": case.config["batch_size"] == reference_batch(run, case.workload),
    "samples_per_second": int(case.config["batch_size"]) / float(np.median(sample.step_seconds)),
} for run in timing for case in run.cases
    if case.config.get("task", "train") == "train" and case.config.get("precision", "fp32") == "fp32"
    and case.config.get("mode") in run.rules.default_modes.get(case.framework, [])
    for sample in case.samples if sample.status == "ok" and sample.step_seconds],
    columns=["hardware", "preset", "run", "run_id", "case", "batch", "reference_batch", "samples_per_second"])
processes.head()

# %% [markdown]
# ## The headline table: throughput per case and run

# %%
keys = ["hardware", "preset", "case", "batch", "reference_batch"]
headline = (processes.groupby([*keys, "run"], sort=False).samples_per_second.median()
            .reset_index(name="samples_per_second_median"))
headline.pivot_table(index=keys, columns="run", values="samples_per_second_median").round(1)

# %% [markdown]
# ## The chart
#
# One line per case at its workload's reference batch across the runs of one hardware class and one preset (the
# first with two runs or more), on a log axis: the article's throughput chart for that class and preset.

# %%
import plotly.graph_objects as go

runs_per_group = headline.groupby(["hardware", "preset"], sort=False).run.nunique()
HARDWARE, PRESET = next(iter(runs_per_group[runs_per_group >= 2].index), (None, None))
CHART_ID = f"chart-history-throughput-{hardware_slug(HARDWARE)}-{workload_slug(PRESET)}" if HARDWARE else None
shown = headline[(headline.hardware == HARDWARE) & (headline.preset == PRESET) & headline.reference_batch]
figure = go.Figure([
    go.Scatter(name=case, mode="lines+markers", x=rows.run,
               y=[round_significant(value) for value in rows.samples_per_second_median])
    for case, rows in shown.groupby("case", sort=True)
])
figure.update_layout(title=f"training throughput (samples/s) across runs: {HARDWARE}, preset {PRESET}", height=480,
                     template="plotly_white", xaxis={"type": "category", "title": {"text": "run (UTC date · id)"}},
                     yaxis={"title": {"text": "samples/s"}, "type": "log"}, legend={"font": {"size": 10}})
companion.show(figure, "notebook-history-throughput")

# %% [markdown]
# ## Your turn: two runs side by side
#
# The ratio of medians per case between two runs of the same hardware class (above 1: the second run was faster).
# Put any two run ids from the table at the top here and run the cell.

# %%
FIRST, SECOND = (timing[0].run_id, timing[-1].run_id)

pair = headline[headline.run.str[-6:].isin([FIRST[-6:], SECOND[-6:]])].pivot_table(
    index=["case", "batch"], columns="run", values="samples_per_second_median")
if pair.shape[1] == 2:
    first, second = sorted(pair.columns, key=lambda column: column[-6:] != FIRST[-6:])
    pair["ratio second / first"] = pair[second] / pair[first]
pair.round(3)
