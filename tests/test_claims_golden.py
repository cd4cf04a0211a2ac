"""Every claim over the committed results, against a reviewed expected-verdict file.

tests/golden/claims_verdicts.yaml holds, per claim, the verdict, the run it was decided on, the page
its links open and how many rows counted which way, for the committed runs and a fixed build date.
Any change of verdict (a new run, a changed check, a reworded scope) shows up here and in review:
regenerate with FWBENCH_UPDATE_GOLDEN=1 and say in the commit which verdicts changed and why.

The file also checks the verdicts against the pages: each claim is decided on the run its linked
page shows by default unless that run lacks the evidence, and every speed row counts the way the
Performance page's verdict for the same comparison reads.
"""

from __future__ import annotations

import os
from datetime import date

import pytest
import yaml

from contract.files import complete_runs, load_run
from site_scripts.chrome import run_selector
from site_scripts.claims import checks
from site_scripts.claims.checks import CHECKS
from site_scripts.claims.evaluate import check_all, docs_markdown
from site_scripts.claims.registry import load_claims
from site_scripts.claims.verdicts import AGAINST, FOR, NEITHER, OUT_OF_SCOPE, OUTCOMES, UNDECIDED
from tests.conftest import REPO_ROOT

EXPECTED = REPO_ROOT / "tests" / "golden" / "claims_verdicts.yaml"
BUILD = date(2026, 12, 2)  # fixed: ages and the staleness of dated facts depend on it


@pytest.fixture(scope="module")
def committed():
    runs = [load_run(path) for path in complete_runs(REPO_ROOT / "results")]
    runs = [run for run in runs if run.settings.shard is None]
    return runs, check_all(load_claims(), runs, BUILD)


def summary(item) -> dict:
    counts = {outcome: sum(r.outcome == outcome for r in item.verdict.rows) for outcome in OUTCOMES}
    return {"status": item.verdict.status, "run": item.run.run_id if item.run else None, "page": item.evidence.page,
            "rows": {k: v for k, v in counts.items() if v}}


def test_every_verdict_matches_the_reviewed_file(committed):
    _, items = committed
    built = {item.claim.id: summary(item) for item in items}
    if os.environ.get("FWBENCH_UPDATE_GOLDEN"):
        EXPECTED.write_text("# Reviewed verdicts of every claim over the committed results (build date "
                            f"{BUILD.isoformat()}).\n# Regenerate: FWBENCH_UPDATE_GOLDEN=1 pytest "
                            "tests/test_claims_golden.py; say in the commit which verdicts changed and why.\n"
                            + yaml.safe_dump(built, sort_keys=False, allow_unicode=True), encoding="utf-8")
    expected = yaml.safe_load(EXPECTED.read_text(encoding="utf-8"))
    changed = {cid: (expected.get(cid), now) for cid, now in built.items() if expected.get(cid) != now}
    gone = sorted(set(expected) - set(built))
    assert not changed and not gone, f"verdicts changed: {changed}; claims gone: {gone}"


def test_each_claim_is_decided_on_its_pages_default_run_unless_that_run_lacks_the_evidence(committed):
    runs, items = committed
    for item in items:
        page = CHECKS[item.claim.check].page
        if page is None:
            assert item.run is None, item.claim.id
            continue
        eligible, default = run_selector.page_runs(docs_markdown(page), runs)
        assert item.evidence.default is default, item.claim.id
        if item.run is default:
            assert item.evidence.page == page, item.claim.id
        else:
            assert not CHECKS[item.claim.check].needs(default, item.claim), item.claim.id
            assert item.run in eligible and item.evidence.page == run_selector.variant_src_uri(page, item.run)
        for row in item.verdict.rows:
            assert row.link is None or not row.link.startswith(page) or row.link.startswith(item.evidence.page)


PAGE_WORDS = {"numerator_faster": "numerator", "denominator_faster": "denominator", "tie": "tie"}


def test_every_speed_row_reads_like_the_performance_page(committed):
    """A row for 'X is faster' is for exactly where the page says X is faster, against where it says the other."""
    _, items = committed
    seen = 0
    for item in items:
        if item.claim.check != "faster" or item.run is None:
            continue
        inside, _ = checks._speed_split(item.run, item.claim.scope)
        if not inside:  # nothing in scope: only labelled out-of-scope rows, checked below
            continue
        claimed = item.claim.params["faster"]
        for comparison, row in zip(inside, item.verdict.rows, strict=True):
            if comparison.verdict not in PAGE_WORDS:
                assert row.outcome == UNDECIDED
                continue
            faster = {"numerator": comparison.numerator, "denominator": comparison.denominator}.get(
                PAGE_WORDS[comparison.verdict])
            expected = NEITHER if faster is None else FOR if faster == claimed else AGAINST
            assert row.outcome == expected, (item.claim.id, row.label)
            seen += 1
    assert seen >= 40


def test_no_gpu_claim_is_decided_by_cpu_evidence(committed):
    _, items = committed
    for item in items:
        if item.claim.scope.device == "cuda":
            assert item.verdict.status == "not_testable", item.claim.id
            assert all(r.outcome == OUT_OF_SCOPE for r in item.verdict.rows), item.claim.id
