"""The History page: headline figures of every timing run, per hardware class, and what changed between
the two newest framework releases measured on the same class, flagged only beyond the noise.
"""

from __future__ import annotations

from contract.schema import RunResult
from site_scripts import placeholders
from site_scripts.analysis import history
from site_scripts.charts import embed, history_trends
from site_scripts.tables import history_changes
from site_scripts.text import formatting, labels, provenance_text


@placeholders.placeholder("history", all_runs=True)
def history_section(runs: list[RunResult]) -> str:
    timing = history.timing_runs(runs)
    if not timing:
        return "Not measured: no timing run in results/."
    parts = ["Every timing run in `results/`, oldest first:", history_changes.runs_table(timing)]
    pairs = history.release_pairs(runs)
    parts.append("## What changed since the previous release {#history-changes}")
    if not pairs:
        parts.append("No hardware class has runs of two different framework releases yet: rebuild after a release "
                     "with `fwbench release --tensorflow X.Y.Z` (or `--torch`), which keeps the old runs.")
    for old, new in pairs:
        parts.append(f"### {formatting.cell(provenance_text.hardware_label(new))}, preset {formatting.code_span(new.settings.preset)}")
        parts.append(formatting.conclusion(history_changes.conclusion(old, new)))
        parts.append(f"From the older release, run {formatting.code_span(old.run_id)} ({formatting.cell(', '.join(provenance_text.versions(old)))}), to the newer release, run "
                     f"{formatting.code_span(new.run_id)} ({formatting.cell(', '.join(provenance_text.versions(new)))}). A figure is "
                     f"flagged better or worse only when the 95 % bootstrap interval of the ratio of medians "
                     f"(each run's processes resampled) excludes 1 and the change exceeds "
                     f"{history.MIN_RELATIVE_CHANGE:.0%}, the drift between runs of an unchanged framework.")
        parts.append(history_changes.code_summary(old, new))
        parts.append(history_changes.changes_table(old, new))
        parts.append(f"Reproduce the newer run: {formatting.code_span(provenance_text.reproduce_command(new))}")
    parts.append("## Headline figures across runs {#history-charts}")
    groups: dict[tuple[str, str], list[RunResult]] = {}
    for run in timing:
        groups.setdefault((provenance_text.hardware_class(run), run.settings.preset), []).append(run)
    for (hardware, preset), group in groups.items():
        shown_hardware = provenance_text.hardware_label(group[0])
        parts.append(f"### {formatting.cell(shown_hardware)}, preset {formatting.code_span(preset)}")
        if len(group) < 2:
            parts.append(f"One run ({formatting.code_span(group[0].run_id)}) on this hardware with this preset: "
                         "no trend to draw until a second run exists.")
            continue
        parts.append(formatting.conclusion(formatting.cell(
            f"{len(group)} runs from {formatting.utc_date(group[0].started_utc)} to "
            f"{formatting.utc_date(group[-1].started_utc)}; each line is one workload and framework at the "
            f"workload's reference batch in the framework's default mode (compiled modes for compile time).")))
        for metric in history.METRICS:
            figure = history_trends.history_figure(group, metric, f"{shown_hardware}, preset {preset}")
            if figure is not None:
                chart_id = f"chart-history-{metric.key}-{labels.hardware_slug(hardware)}-{labels.workload_slug(preset)}"
                parts.append(embed.embed_figure(figure, chart_id))
    return "\n\n".join(parts)
