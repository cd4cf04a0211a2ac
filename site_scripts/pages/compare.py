"""The Compare page: a reader picks two timing runs and gets History's per-case change table for them.

The tables are precomputed at build time for every pair of runs on one hardware class
(chrome/compare_data.py); the page embeds the index, and fwbench-compare.js fetches and draws the chosen pair.
The URL `compare/?a=<run id>&b=<run id>` names the pair, so a comparison can be cited.
"""

from __future__ import annotations

from contract.schema import RunResult
from site_scripts import placeholders
from site_scripts.chrome import compare_data
from site_scripts.text import formatting


@placeholders.placeholder("compare", all_runs=True)
def compare_section(runs: list[RunResult]) -> str:
    index = compare_data.index(runs)
    if len(index["runs"]) < 2:
        return "Not enough timing runs in `results/` to compare: it takes two."
    fallback = ("This page draws the table in the browser: with JavaScript off, the [History](history.md) page "
                "holds the table for each release pair.")
    return "\n\n".join([
        formatting.cell(index["method"]),
        '<form class="fwbench-compare-form">'
        '<label>Before: <select class="fwbench-compare-a"></select></label>'
        '<label>After: <select class="fwbench-compare-b"></select></label></form>',
        '<p class="fwbench-compare-link"></p>',
        '<div class="fwbench-compare-result"><noscript><p>' + fallback.replace("[History](history.md)",
                                                                           '<a href="../history/">History</a>')
        + "</p></noscript></div>",
        compare_data.index_script(runs),
    ])
