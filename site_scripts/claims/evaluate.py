"""Claims against runs: for each claim, the newest run holding its check's evidence, and the verdict.

Evidence lives in different runs (speed in the newest timing run, memory in the newest run with
memory phases, each study in the newest run that has it), so the page receives every finished
run, oldest first, and each check picks its own.
"""

from __future__ import annotations

from dataclasses import dataclass

from contract.schema import RunResult
from site_scripts.claims.checks import CHECKS
from site_scripts.claims.registry import Claim, ClaimFile
from site_scripts.claims.verdicts import Verdict


@dataclass(frozen=True)
class CheckedClaim:
    claim: Claim
    verdict: Verdict
    run: RunResult | None  # the run the evidence came from; None where no run has it


def run_for_check(claim: Claim, runs: list[RunResult]) -> RunResult | None:
    """The newest run that holds this claim's evidence, or None."""
    needs = CHECKS[claim.check].needs
    return next((run for run in reversed(runs) if needs(run, claim.params)), None)


def check_claim(claim: Claim, runs: list[RunResult]) -> CheckedClaim:
    run = run_for_check(claim, runs)
    return CheckedClaim(claim, CHECKS[claim.check].decide(run, claim.params), run)


def check_all(claims: ClaimFile, runs: list[RunResult]) -> list[CheckedClaim]:
    return [check_claim(claim, runs) for claim in claims.claims]
