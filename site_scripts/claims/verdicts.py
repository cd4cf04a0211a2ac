"""What a check returns, and the one table that turns its rows into a verdict and writes the legend.

A check splits the evidence into rows (a configuration, a workload, a scenario), and each row
counts FOR the claim, AGAINST it, NEITHER way (measured, but no difference resolved), or is
UNDECIDED (too few pairs, a failed side, unknown verdicts). Rows outside the claim's scope are
OUT_OF_SCOPE: shown, labelled, never counted. `RULES` below decides the verdict from the set of
counted outcomes, and the page's legend is written from the same rows, so the two cannot drift.
The rules are symmetric: swapping FOR and AGAINST swaps supported with contradicted and partly
supported with partly contradicted, and leaves mixed and "no difference" alone.

Equality claims ("the same accuracy") use the same table with other row rules: a row is FOR when
an equivalence test shows the difference lies inside the stated margin, AGAINST when a difference
is detected and equivalence is not shown, and NEITHER when neither is shown; their all-NEITHER
verdict reads "no difference detected (not proof of equality)".
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

# Row outcomes.
FOR, AGAINST, NEITHER, UNDECIDED, OUT_OF_SCOPE = "for", "against", "neither", "undecided", "out_of_scope"
OUTCOMES = (FOR, AGAINST, NEITHER, UNDECIDED, OUT_OF_SCOPE)
COUNTED = frozenset({FOR, AGAINST, NEITHER})

# Claim kinds: a claim of a difference (faster, lower) or of equality (same accuracy, comparable speed).
DIFFERENCE, EQUALITY = "difference", "equality"
KINDS = (DIFFERENCE, EQUALITY)

# Verdicts.
SUPPORTED, PARTLY_SUPPORTED, MIXED = "supported", "partly_supported", "mixed"
PARTLY_CONTRADICTED, CONTRADICTED = "partly_contradicted", "contradicted"
INCONCLUSIVE = "inconclusive"  # a difference claim: measured, no row resolved a difference either way
NOT_SHOWN_EQUAL = "no_difference_detected"  # an equality claim: no difference detected, equality not shown
NOT_TESTABLE = "not_testable"  # no evidence in the claim's scope can be made here (hardware, not a quantity)
NOT_MEASURED = "not_measured"  # testable here, but no committed run (or source) holds the evidence yet
STATUSES = (SUPPORTED, PARTLY_SUPPORTED, MIXED, PARTLY_CONTRADICTED, CONTRADICTED, INCONCLUSIVE, NOT_SHOWN_EQUAL,
            NOT_TESTABLE, NOT_MEASURED)

STATUS_WORDS = {
    SUPPORTED: "supported", PARTLY_SUPPORTED: "partly supported", MIXED: "mixed",
    PARTLY_CONTRADICTED: "partly contradicted", CONTRADICTED: "contradicted",
    INCONCLUSIVE: "no difference resolved", NOT_SHOWN_EQUAL: "no difference detected (not proof of equality)",
    NOT_TESTABLE: "not testable here", NOT_MEASURED: "not measured in this run",
}

OUTCOME_WORDS = {FOR: "for the claim", AGAINST: "against the claim", NEITHER: "neither way",
                 UNDECIDED: "undecided", OUT_OF_SCOPE: "out of scope: shown, not counted"}


@dataclass(frozen=True)
class Rule:
    """One line of the verdict table: which counted outcomes it matches, for which kinds, and its words."""

    status: str
    kinds: tuple[str, ...]
    matches: Callable[[frozenset[str]], bool]
    rows_text: str  # what the counted rows are, as the legend says it


RULES: tuple[Rule, ...] = (
    Rule(NOT_MEASURED, KINDS, lambda s: not s,
         "no row could be counted (every in-scope row is undecided, or none exists in a run that could hold it)"),
    Rule(SUPPORTED, KINDS, lambda s: s == {FOR}, "every counted row is for the claim"),
    Rule(CONTRADICTED, KINDS, lambda s: s == {AGAINST}, "every counted row is against the claim"),
    Rule(MIXED, KINDS, lambda s: FOR in s and AGAINST in s, "some rows are for the claim and some against it"),
    Rule(PARTLY_SUPPORTED, KINDS, lambda s: s == {FOR, NEITHER},
         "some rows are for the claim, none against it, the rest neither way"),
    Rule(PARTLY_CONTRADICTED, KINDS, lambda s: s == {AGAINST, NEITHER},
         "some rows are against the claim, none for it, the rest neither way"),
    Rule(INCONCLUSIVE, (DIFFERENCE,), lambda s: s == {NEITHER},
         "every counted row is neither way (a claim of a difference)"),
    Rule(NOT_SHOWN_EQUAL, (EQUALITY,), lambda s: s == {NEITHER},
         "every counted row is neither way (a claim of equality: no difference detected, equivalence not shown)"),
)

# The verdicts no row decides: a check returns them itself, with the reason in its summary.
WITHOUT_ROWS = {
    NOT_TESTABLE: "nothing in the claim's scope can be measured or checked here: the hardware it is about "
                  "is not among ours, or it is not a quantity a run records; the claim says why. Evidence "
                  "outside its scope may be shown, labelled, but it decides nothing.",
}


def aggregate(rows: list["EvidenceRow"] | tuple["EvidenceRow", ...], kind: str = DIFFERENCE) -> str:
    """The verdict over the counted rows, by the first line of RULES that matches (they do not overlap)."""
    if kind not in KINDS:
        raise ValueError(f"unknown claim kind {kind!r}")
    counted = frozenset(row.outcome for row in rows) & COUNTED
    for rule in RULES:
        if kind in rule.kinds and rule.matches(counted):
            return rule.status
    raise AssertionError(f"no rule for outcomes {sorted(counted)} of a {kind} claim")  # the rules cover every set


def legend_rows() -> list[tuple[str, str]]:
    """(verdict words, when) for every line of the table, in order: what the page's legend prints."""
    rows = [(STATUS_WORDS[rule.status], rule.rows_text) for rule in RULES[1:]]
    rows.append((STATUS_WORDS[RULES[0].status], RULES[0].rows_text))
    rows += [(STATUS_WORDS[status], text) for status, text in WITHOUT_ROWS.items()]
    return rows


@dataclass(frozen=True)
class EvidenceRow:
    """One piece of evidence: what it is, the numbers (with their interval), and how it counts."""

    label: str
    measured: str
    outcome: str  # one of OUTCOMES
    note: str = ""
    link: str | None = None
    value: float | None = None  # the ratio behind `measured`, for the summary's range

    def __post_init__(self) -> None:
        if self.outcome not in OUTCOMES:
            raise ValueError(f"unknown row outcome {self.outcome!r}")


@dataclass(frozen=True)
class Verdict:
    status: str
    summary: str
    rows: tuple[EvidenceRow, ...] = ()
    link: str | None = None  # the section or chart that shows the evidence (relative to docs/)
    headers: tuple[str, str] = ("evidence", "measured")
    notes: tuple[str, ...] = field(default_factory=tuple)

    def __post_init__(self) -> None:
        if self.status not in STATUSES:
            raise ValueError(f"unknown verdict status {self.status!r}")


def count_text(rows: list[EvidenceRow], words: dict[str, str], unit: str = "configurations") -> str:
    """'PyTorch faster in 3, TensorFlow faster in 1, no resolved difference in 2 of 6 configurations'.

    Out-of-scope rows are not counted here either; the page lists them under their label.
    """
    counted = [row for row in rows if row.outcome != OUT_OF_SCOPE]
    parts = [f"{words[outcome]} in {n}" for outcome in (FOR, AGAINST, NEITHER, UNDECIDED)
             if (n := sum(row.outcome == outcome for row in counted))]
    if not counted:
        return f"no {unit} in the claim's scope"
    return f"{', '.join(parts)} of {len(counted)} {unit}"
