"""Claims against runs: which run decides each claim, by the rule the pages use, and the verdict.

A claim is decided on the run its linked page shows by default (run_selector.page_runs, the
rule the build applies to that page), unless that run lacks the claim's in-scope evidence (a
study it did not run, a device it did not measure). Then it is decided on the run that page
would show for that evidence (the most preferred of the page's other runs that hold it), the
claim names that run, and its links open that run's page (`<page>--<run id>.md`). A claim whose
scope no run holds is decided on the page's default run, which then shows only out-of-scope
rows and says "not testable here" or "not measured".
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from contract.schema import RunResult
from site_scripts import placeholders
from site_scripts.chrome import run_selector
from site_scripts.claims.checks import CHECKS, Context
from site_scripts.claims.registry import Claim, ClaimFile
from site_scripts.claims.verdicts import EvidenceRow, Verdict
from site_scripts.paths import DOCS_DIR

PageMarkdown = Callable[[str], str]


def docs_markdown(page: str) -> str:
    return (DOCS_DIR / page).read_text(encoding="utf-8")


@dataclass(frozen=True)
class Evidence:
    """Where a claim's evidence came from and which page shows it."""

    run: RunResult | None  # the run the check read; None for checks that read no run
    page: str | None  # the docs page the claim's links open: the page itself, or its variant for `run`
    default: RunResult | None  # the run that page shows by default
    why_not_default: str | None = None  # set when `run` is not the page's default

    @property
    def is_default(self) -> bool:
        return self.run is not None and self.run is self.default


@dataclass(frozen=True)
class CheckedClaim:
    claim: Claim
    verdict: Verdict
    evidence: Evidence

    @property
    def run(self) -> RunResult | None:
        return self.evidence.run


def select_evidence(claim: Claim, runs: list[RunResult], markdown: PageMarkdown = docs_markdown) -> Evidence:
    """The run a claim is decided on and the page its links open (see the module docstring)."""
    check = CHECKS[claim.check]
    if check.page is None:
        return Evidence(None, None, None)
    eligible, default = run_selector.page_runs(markdown(check.page), runs)
    if default is None:
        return Evidence(None, check.page, None)
    if check.needs(default, claim):
        return Evidence(default, check.page, default)
    holding = [run for run in eligible if check.needs(run, claim)]
    if not holding:
        return Evidence(default, check.page, default)
    chosen = max(holding, key=run_selector.preference)
    why = (f"the page's default run ({default.run_id}) has no evidence in this claim's scope, so it is decided on "
           f"{chosen.run_id}, which that page shows at its own address")
    return Evidence(chosen, run_selector.variant_src_uri(check.page, chosen), default, why)


def _rebase(link: str | None, page: str | None, target: str | None) -> str | None:
    """A link into `page` made to point into `target` (the page's variant for the run used)."""
    if link is None or page is None or target is None or target == page:
        return link
    if link == page or link.startswith(page + "#"):
        return target + link[len(page):]
    return link


def rebase_verdict(verdict: Verdict, page: str | None, target: str | None) -> Verdict:
    rows = tuple(EvidenceRow(r.label, r.measured, r.outcome, r.note, _rebase(r.link, page, target), r.value)
                 for r in verdict.rows)
    return Verdict(verdict.status, verdict.summary, rows, _rebase(verdict.link, page, target), verdict.headers,
                   verdict.notes)


def check_claim(claim: Claim, runs: list[RunResult], ctx: Context, markdown: PageMarkdown = docs_markdown) -> CheckedClaim:
    evidence = select_evidence(claim, runs, markdown)
    check = CHECKS[claim.check]
    verdict = check.decide(evidence.run, claim, ctx)
    return CheckedClaim(claim, rebase_verdict(verdict, check.page, evidence.page), evidence)


def check_all(claims: ClaimFile, runs: list[RunResult], build_date: date | None = None,
              markdown: PageMarkdown = docs_markdown) -> list[CheckedClaim]:
    """Every claim against `runs` (oldest first, as the build loads them)."""
    placeholders.load_pages()  # what each page's placeholders need decides which runs the page can show
    ctx = Context(tuple(runs), build_date or date.today())
    return [check_claim(claim, runs, ctx, markdown) for claim in claims.claims]
