"""The claims-checker page: every claim of the seed articles, decided from the committed runs at build.
"""

from __future__ import annotations

from contract.schema import RunResult
from site_scripts import placeholders
from site_scripts.claims import render
from site_scripts.claims.evaluate import check_all
from site_scripts.claims.registry import load_claims


def _checked(runs: list[RunResult]):
    claims = load_claims()
    return claims, check_all(claims, runs)


@placeholders.placeholder("claims_holds_for", all_runs=True)
def claims_holds_for(runs: list[RunResult]) -> str:
    return render.holds_for(_checked(runs)[1])


@placeholders.placeholder("claims_summary", all_runs=True)
def claims_summary(runs: list[RunResult]) -> str:
    return render.summary_tables(*_checked(runs))


@placeholders.placeholder("claims_sections", all_runs=True)
def claims_sections(runs: list[RunResult]) -> str:
    return render.claim_sections(*_checked(runs))
