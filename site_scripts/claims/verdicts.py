"""What a check returns: a verdict, one line saying why, the numbers behind it, and where to see them."""

from __future__ import annotations

from dataclasses import dataclass, field

SUPPORTED, CONTRADICTED, MIXED = "supported", "contradicted", "mixed"
INCONCLUSIVE = "inconclusive"  # measured, but no configuration resolved a difference either way
NOT_TESTABLE = "not_testable"  # cannot be tested on this hardware or by a measurement at all
NOT_MEASURED = "not_measured"  # testable, but the evidence is missing from the committed runs
STATUSES = (SUPPORTED, CONTRADICTED, MIXED, INCONCLUSIVE, NOT_TESTABLE, NOT_MEASURED)
STATUS_WORDS = {
    SUPPORTED: "supported", CONTRADICTED: "contradicted", MIXED: "mixed", INCONCLUSIVE: "no difference resolved",
    NOT_TESTABLE: "not testable here", NOT_MEASURED: "not measured in this run",
}

# Outcome of one configuration for the claim: it points the claimed way, the opposite way, or neither.
FOR, AGAINST, NEITHER, UNDECIDED = "for", "against", "neither", "undecided"


@dataclass(frozen=True)
class EvidenceRow:
    """One measured configuration: what it is, the numbers (with their interval), and how it counts."""

    label: str
    measured: str
    outcome: str  # FOR, AGAINST, NEITHER or UNDECIDED
    note: str = ""
    link: str | None = None
    value: float | None = None  # the ratio behind `measured`, for the summary's range


@dataclass(frozen=True)
class Verdict:
    status: str
    summary: str
    rows: tuple[EvidenceRow, ...] = ()
    link: str | None = None  # the section or chart that shows the evidence
    headers: tuple[str, str] = ("configuration", "measured")
    notes: tuple[str, ...] = field(default_factory=tuple)

    def __post_init__(self) -> None:
        if self.status not in STATUSES:
            raise ValueError(f"unknown verdict status {self.status!r}")


def aggregate(rows: list[EvidenceRow]) -> str:
    """The verdict over configurations: all for → supported; for and against → mixed; and so on.

    Ties do not count against a claim of a difference, but they keep it from being supported
    everywhere: "for" plus "neither" is mixed. Only undecided rows (too few pairs, disagreeing
    fingerprints) is not measured.
    """
    outcomes = {row.outcome for row in rows} - {UNDECIDED}
    if not outcomes:
        return NOT_MEASURED
    if outcomes == {FOR}:
        return SUPPORTED
    if FOR in outcomes:
        return MIXED
    if AGAINST in outcomes:
        return CONTRADICTED
    return INCONCLUSIVE


def count_text(rows: list[EvidenceRow], words: dict[str, str]) -> str:
    """'holds in 3, opposite in 1, no resolved difference in 2 of 6 configurations'."""
    parts = [f"{words[outcome]} in {n}" for outcome in (FOR, AGAINST, NEITHER, UNDECIDED)
             if (n := sum(row.outcome == outcome for row in rows))]
    return f"{', '.join(parts)} of {len(rows)} configurations"
