"""The accuracy-parity article: per workload, the learning-curve family of the accuracy_parity study.
"""

from __future__ import annotations

from contract.schema import RunResult
from site_scripts import placeholders
from site_scripts.analysis import parity
from site_scripts.charts import embed, learning_curves
from site_scripts.text import formatting, labels, provenance_text, quantities


def has_parity(run: RunResult) -> bool:
    return any(r.status == "ok" for r in run.study_records(parity.STUDY))


@placeholders.placeholder("accuracy_parity", needs=has_parity)
def accuracy_parity(run: RunResult) -> str:
    if not has_parity(run):
        return f"{formatting.NOT_MEASURED} Run `fwbench run --preset full` (or any preset) to run the accuracy-parity study."
    parts = []
    info = run.study_info.get(parity.STUDY)
    if info and info.notes:
        parts.append(formatting.table(["aspect", "how"], [[formatting.cell(k.replace("_", " ")), formatting.cell(v)]
                                                          for k, v in info.notes.items()]))
    for workload in parity.workloads_of(run):
        slug = labels.workload_slug(workload)
        records = parity.records_of(run, workload)
        parts.append(f"## {formatting.cell(labels.workload_title(run, workload))} {{#accuracy-{slug}}}")
        parts.append(formatting.conclusion(learning_curves.conclusion(run, workload)))
        parts.append(learning_curves.settings_text(records))
        figure = learning_curves.curves_figure(run, workload)
        parts.append(embed.embed_figure(figure, f"chart-{slug}-learning-curves") if figure else formatting.NOT_MEASURED)
        parts.append(learning_curves.final_table(run, workload))
        parts.append(quantities.definitions("time_to_target", "time_to_target_per_seed"))
        parts.append(learning_curves.test_text(run, workload))
        parts.append(formatting.folded("Every seed", learning_curves.per_seed_table(run, workload)))
    parts.append(provenance_text.provenance_line(run))
    return "\n\n".join(p for p in parts if p)
