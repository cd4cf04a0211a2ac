"""The pages on a torch-only GPU run (issue 18): what the H200 machine makes, since it has no TensorFlow.

Every GPU figure is named with the GPU's identity; TensorFlow's side is "not measured" with the reason and the
command that makes the comparison, never a failure and never silently absent; and no GPU figure is paired with a CPU
one (History, Compare, the claims).
"""

from __future__ import annotations

import markdown

from contract.files import dump_run, load_run
from site_scripts.analysis import history
from site_scripts.chrome import compare_data
from site_scripts.pages import home, memory, performance
from site_scripts.tables import who_is_faster
from site_scripts.text import provenance_text
from tests.made_up_results import GPU_NAME, NOT_INSTALLED, made_up_gpu_run, made_up_suite_run


def _text(markdown_text: str) -> str:
    return markdown.markdown(markdown_text, extensions=["tables", "admonition", "attr_list", "md_in_html"])


def test_the_gpu_run_is_a_valid_result_file(tmp_path):
    run = made_up_gpu_run()
    path = tmp_path / f"{run.run_id}.json"
    dump_run(run, path)
    loaded = load_run(path)
    assert loaded.settings.frameworks_not_installed == ["tensorflow"]
    assert {c.verdict for c in loaded.comparisons} == {"not_measured"}
    assert GPU_NAME in loaded.provenance.host.hardware_key


def test_home_names_the_gpu_and_says_what_makes_the_comparison():
    run = made_up_gpu_run()
    summary = home.home_summary(run)
    assert f"On a {GPU_NAME} GPU on a 16-core" in summary
    assert NOT_INSTALLED in summary and "self-hosted GPU runner" in summary and "`make site`" in summary
    assert "× faster" not in summary and "faster in" not in summary, "no verdict without TensorFlow"


def test_performance_marks_tensorflow_not_measured_and_keeps_every_torch_figure():
    run = made_up_gpu_run()
    section = performance.who_is_faster_section(run)
    assert "Not measured on this machine" in section and "benchmarks.yml" in section
    rows = _text(who_is_faster.who_is_faster_table(run)).split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    assert rows.count("<tr>") == len(run.comparisons) and rows.count(NOT_INSTALLED) == len(run.comparisons)
    body = performance.performance_by_workload(run)
    # Throughput, compile time and fraction of peak come from the torch cases alone, fp16 beside bf16 and fp32.
    for precision in ("fp32", "bf16", "fp16"):
        assert f"{precision}" in body
    assert "chart-mlp-peak-fraction" in body and "chart-mlp-compile-time" in body
    assert GPU_NAME in provenance_text.run_caption(run)


def test_memory_shows_device_counters_and_the_largest_batch():
    run = made_up_gpu_run()
    device = memory.device_memory(run)
    assert "peak allocated (MiB)" in device and "| 900 |" in device
    assert "mlp/torch/cuda" not in device, "rows name the case in words, not by its id"
    largest = memory.largest_batch(run)
    assert "1536" in largest and "1632" in largest


def test_no_gpu_figure_is_compared_with_a_cpu_figure():
    gpu, cpu = made_up_gpu_run(), made_up_suite_run()
    assert provenance_text.hardware_class(gpu) != provenance_text.hardware_class(cpu)
    assert compare_data.comparable_pairs([cpu, gpu]) == []
    assert history.release_pairs([cpu, gpu]) == []
