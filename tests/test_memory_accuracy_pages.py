"""The memory and accuracy pages on made-up results: fitted costs, failures and the parity verdict appear."""

import json
import re

from site_scripts import placeholders
from site_scripts.analysis import memory
from tests.made_up_memory import made_up_memory_run
from tests.made_up_results import made_up_run
from tests.test_render import _embedded_figures


def figure_from(page, chart_id):
    return json.loads(_embedded_figures(page)[chart_id])


def fill(name, run):
    placeholders.load_pages()
    return placeholders.PLACEHOLDERS[name](run)


def test_memory_page_shows_the_fitted_fixed_and_per_sample_costs():
    page = fill("memory_by_workload", made_up_memory_run())
    fit_rows = [row for row in page.splitlines() if row.startswith("| PyTorch eager · fp32 | 3 |")
                or row.startswith("| TensorFlow function · fp32 | 2 |")]
    # series | batches | fixed cost | per sample | residual RMS | R² | failures
    assert [row.split(" | ")[2:6] for row in fit_rows] == [["700", "2", "0.0", "1"], ["900", "3", "—", "—"]]
    assert "timeout" in page  # the failed batch is named, not dropped
    phases = figure_from(page, "chart-mlp-memory-phases")
    assert [t["name"] for t in phases["data"]][:2] == ["interpreter + harness", "framework import"]
    by_batch = figure_from(page, "chart-mlp-memory-vs-batch")
    assert any(t["mode"] == "lines" for t in by_batch["data"])


def test_pages_without_the_data_say_it_was_not_measured():
    run = made_up_run()
    assert "Not measured in this run" in fill("accuracy_parity", run)
    assert "Not measured in this run" in fill("memory_run", run)
    assert "Not measured in this run" in fill("largest_batch", run)


def test_accuracy_page_states_the_paired_verdict_and_the_failed_seed():
    page = fill("accuracy_parity", made_up_memory_run())
    assert re.search(r"Paired t-test over 5 seeds.*\+2\.00 accuracy points.*Verdict: the same difference on every seed",
                     page), page
    assert "seed 5: crashed" in page
    curves = figure_from(page, "chart-mlp-learning-curves")
    assert {t["name"] for t in curves["data"] if t.get("showlegend") is not False} >= {
        "PyTorch (mean over seeds; band: min–max)", "TensorFlow (mean over seeds; band: min–max)"}


def test_each_page_is_filled_from_the_newest_run_that_has_its_data():
    with_memory, newer_without = made_up_memory_run(), made_up_run(run_id="20270101T000000Z-newer1")
    placeholders.load_pages()
    text = placeholders.fill_placeholders("{{ fwbench.memory_run }}\n\n{{ fwbench.run_caption }}",
                                          [with_memory, newer_without], page="memory.md")
    assert with_memory.run_id in text.split("\n\n")[0]
    assert newer_without.run_id in text  # speed placeholders take the newest timing run


def test_a_run_without_compiled_modes_is_not_chosen_for_the_memory_page():

    with_compiled = made_up_memory_run()
    default_modes_only = made_up_memory_run(run_id="20270101T000000Z-deflt1")
    default_modes_only.cases = [c for c in default_modes_only.cases if c.config["mode"] != "compile"]
    assert memory.has_memory_phases(with_compiled) and not memory.has_memory_phases(default_modes_only)
    placeholders.load_pages()
    text = placeholders.fill_placeholders("{{ fwbench.memory_run }}", [with_compiled, default_modes_only], page="memory.md")
    assert with_compiled.run_id in text and default_modes_only.run_id not in text


def test_a_failed_batch_is_marked_on_the_memory_chart_not_dropped():
    page = fill("memory_by_workload", made_up_memory_run())
    by_batch = figure_from(page, "chart-mlp-memory-vs-batch")
    notes = [a["text"] for a in by_batch["layout"].get("annotations", [])]
    assert any("TensorFlow function · fp32" in n and "timeout" in n for n in notes), notes
