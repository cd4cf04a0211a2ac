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
# # Ecosystem, recomputed
#
# The companion notebook of the [Ecosystem](../../ecosystem/) article: it loads the run the article shows from
# `results/` through the result-file loader (`contract.files`, each study record read as its typed payload by
# `contract.payloads`), puts the install footprint and the export matrix in pandas frames, and recomputes the
# article's install-footprint table (bytes installed by each framework alone and with everything it requires,
# and its import time) and how each export path fared.
#
# This page executed the notebook while the site was built. To run it yourself: download it (buttons above),
# and from a checkout with the project's environment (`make` creates `.venv`) run
# `.venv/bin/jupyter execute --inplace ecosystem.ipynb`, or open it in any Jupyter using that environment.
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
run = companion.shown_run("ecosystem.md", [r for r in runs if r.settings.shard is None], RUN_ID)
print(companion.describe(run))

# %% [markdown]
# ## The headline table: install footprint
#
# Per framework, from the installed distributions' own metadata: the bytes its `RECORD` lists, alone and with its
# transitive requirements, how many distributions that is, and the median import time over fresh processes.

# %%
MIB = 2**20
footprint = [(record.framework, payload(record)) for record in run.study_records("footprint") if record.status == "ok"]
headline = pd.DataFrame([{
    "framework": framework_name(framework), "distribution": f"{data.distribution} {data.version}",
    "installed_alone_mib": data.root_installed_bytes / MIB, "installed_with_requirements_mib":
    data.closure_installed_bytes / MIB, "distributions": len(data.closure),
    "import_seconds_median": pd.Series(data.import_seconds).median(),
} for framework, data in footprint], columns=["framework", "distribution", "installed_alone_mib",
                                             "installed_with_requirements_mib", "distributions", "import_seconds_median"])
headline.round(1)

# %%
closure = pd.DataFrame([{
    "framework": framework_name(framework), "distribution": dist.name, "version": dist.version,
    "installed_mib": dist.installed_bytes / MIB,
} for framework, data in footprint for dist in data.closure], columns=["framework", "distribution", "version", "installed_mib"])

# %% [markdown]
# ## The chart
#
# What each framework's install is made of: its own distribution and the largest of its requirements, stacked.

# %%
import plotly.graph_objects as go

LARGEST = 6
ranked = closure.sort_values("installed_mib", ascending=False)
top = set(ranked.groupby("framework").head(LARGEST).distribution)
stacked = closure.assign(part=closure.distribution.where(closure.distribution.isin(top), "everything else"))
stacked = stacked.groupby(["part", "framework"], sort=False).installed_mib.sum().reset_index()
figure = go.Figure([
    go.Bar(name=part, x=rows.framework, y=rows.installed_mib.round(1))
    for part, rows in stacked.groupby("part", sort=False)
])
figure.update_layout(title="Installed size with every requirement, by distribution", barmode="stack", height=460,
                     template="plotly_white", yaxis={"title": {"text": "installed (MiB)"}})
companion.show(figure, "notebook-ecosystem-footprint")

# %% [markdown]
# ## Your turn
#
# The export matrix: which export paths worked for which workload. Change `STATUS` to `"failed"` to see the
# failures with the stage that failed, or pick one workload.

# %%
STATUS = "ok"

exports = pd.DataFrame([{
    "framework": framework_name(record.framework), "workload": record.workload, "path": cell.title,
    "status": cell.status, "failed_stage": cell.failed_stage, "max_abs_diff": cell.max_abs_diff,
    "artifact_mib": None if cell.artifact_bytes is None else cell.artifact_bytes / MIB,
} for record in run.study_records("export") if record.status == "ok" for cell in payload(record).cells],
    columns=["framework", "workload", "path", "status", "failed_stage", "max_abs_diff", "artifact_mib"])
exports[exports.status == STATUS]
