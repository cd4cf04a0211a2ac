"""The claims-checker page: every claim of the seed articles, decided from the committed runs at build.

Each placeholder receives every run; the claims are checked once per set of runs and build date.
"""

from __future__ import annotations

from datetime import date

from contract.schema import RunResult
from site_scripts import placeholders
from site_scripts.claims import render
from site_scripts.claims.evaluate import CheckedClaim, check_all
from site_scripts.claims.registry import ClaimFile, load_claims

_memo: dict[tuple, tuple[ClaimFile, list[CheckedClaim]]] = {}


def checked(runs: list[RunResult], today: date | None = None) -> tuple[ClaimFile, list[CheckedClaim], date]:
    today = today or date.today()
    key = (tuple(id(run) for run in runs), today)
    if key not in _memo:
        _memo.clear()
        claims = load_claims()
        _memo[key] = (claims, check_all(claims, runs, today))
    claims, items = _memo[key]
    return claims, items, today


@placeholders.placeholder("claims_legend", all_runs=True)
def claims_legend(runs: list[RunResult]) -> str:
    return render.legend(checked(runs)[1])


@placeholders.placeholder("claims_holds_for", all_runs=True)
def claims_holds_for(runs: list[RunResult]) -> str:
    return render.holds_for(checked(runs)[1])


@placeholders.placeholder("claims_articles", all_runs=True)
def claims_articles(runs: list[RunResult]) -> str:
    claims, _, today = checked(runs)
    return render.articles_table(claims, today)


@placeholders.placeholder("claims_summary", all_runs=True)
def claims_summary(runs: list[RunResult]) -> str:
    claims, items, _ = checked(runs)
    return render.summary_tables(claims, items)


@placeholders.placeholder("claims_findings", all_runs=True)
def claims_findings(runs: list[RunResult]) -> str:
    claims, _, today = checked(runs)
    return render.findings_section(claims, today)


@placeholders.placeholder("claims_sections", all_runs=True)
def claims_sections(runs: list[RunResult]) -> str:
    claims, items, today = checked(runs)
    return render.claim_sections(claims, items, today)


@placeholders.placeholder("claims_left_out", all_runs=True)
def claims_left_out(runs: list[RunResult]) -> str:
    return render.left_out(checked(runs)[0])
