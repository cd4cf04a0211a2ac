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
# # Accuracy parity, recomputed
#
# The companion notebook of the [Accuracy](../../accuracy/) article: it loads the run the article shows from
# `results/` through the result-file loader (`contract.files`, each study record read as its typed payload by
# `contract.payloads`), puts every epoch of every seed in a pandas frame, and recomputes the article's final
# validation accuracy per framework (mean and spread over seeds) and its learning curves.
#
# This page executed the notebook while the site was built. To run it yourself: download it (buttons above),
# and from a checkout with the project's environment (`make` creates `.venv`) run
# `.venv/bin/jupyter execute --inplace accuracy.ipynb`, or open it in any Jupyter using that environment.
# The last cell is yours to edit.

# %%
# None: the run the article shows by default (the site's own rule); or a run id from results/ to analyse that one.
RUN_ID = None

# %%
import pandas as pd

from contract.files import complete_runs, load_run
from contract.payloads import payload
from site_scripts.notebooks import companion
from site_scripts.text.labels import framework_name

runs = [load_run(path) for path in complete_runs(companion.results_dir())]
run = companion.shown_run("accuracy.md", [r for r in runs if r.settings.shard is None], RUN_ID)
print(companion.describe(run))

# %% [markdown]
# ## Every epoch of every seed
#
# One row per (workload, framework, seed, epoch) of the `accuracy_parity` study; a seed whose process failed has
# no epochs.

# %%
epochs = pd.DataFrame([{
    "workload": record.workload, "framework": framework_name(record.framework), "seed": data.seed,
    "target_accuracy": data.target_accuracy, "seconds_to_target": data.seconds_to_target, **epoch.model_dump(),
} for record in run.study_records("accuracy_parity") if record.status == "ok"
    for data in [payload(record)] for epoch in data.history],
    columns=["workload", "framework", "seed", "target_accuracy", "seconds_to_target", "epoch", "train_loss",
             "train_accuracy", "val_loss", "val_accuracy", "train_seconds"])
epochs.head()

# %% [markdown]
# ## The headline table: final validation accuracy
#
# Per workload and framework: the last epoch's validation accuracy, its mean and standard deviation over seeds,
# and how many seeds reached the target accuracy.

# %%
final = epochs.sort_values("epoch").groupby(["workload", "framework", "seed"], sort=False).tail(1)
headline = final.groupby(["workload", "framework"], sort=False).agg(
    seeds=("seed", "nunique"), final_val_accuracy_mean=("val_accuracy", "mean"),
    final_val_accuracy_std=("val_accuracy", "std"), seeds_reaching_target=("seconds_to_target", "count"),
    median_seconds_to_target=("seconds_to_target", "median"),
).reset_index()
headline.round(4)

# %% [markdown]
# ## The chart
#
# Validation accuracy after each epoch, the mean over the seeds that ran every epoch: the first panel of the
# article's learning curves, for one workload.

# %%
import plotly.graph_objects as go

WORKLOAD = epochs.workload.iloc[0] if len(epochs) else None
CHART_ID = f"chart-{WORKLOAD}-learning-curves"
chosen = epochs[epochs.workload == WORKLOAD]
complete = chosen.groupby(["framework", "seed"]).epoch.max().groupby("framework").min()
curves = (chosen[chosen.epoch <= chosen.framework.map(complete)]
          .groupby(["framework", "epoch"], sort=False).val_accuracy.mean().reset_index())
figure = go.Figure([
    go.Scatter(name=f"{name} (mean over seeds; band: min–max)", mode="lines+markers", x=rows.epoch,
               y=rows.val_accuracy.round(5))
    for name, rows in curves.groupby("framework", sort=False)
])
figure.update_layout(title=f"{WORKLOAD} on the digits: validation accuracy, mean over seeds", height=420,
                     template="plotly_white", xaxis={"title": {"text": "epoch"}},
                     yaxis={"title": {"text": "validation accuracy"}})
companion.show(figure, "notebook-accuracy-curves")

# %% [markdown]
# ## Your turn
#
# The per-seed difference between the frameworks at one epoch (the paired view the article's test uses).
# Change the workload or the epoch and run the cell.

# %%
EPOCH = int(chosen.epoch.max()) if len(chosen) else 1

at_epoch = chosen[chosen.epoch == EPOCH].pivot_table(index="seed", columns="framework", values="val_accuracy")
if at_epoch.shape[1] == 2:
    at_epoch["difference"] = at_epoch.iloc[:, 0] - at_epoch.iloc[:, 1]
at_epoch.round(4)
