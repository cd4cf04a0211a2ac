"""The claims registry: its schema (pydantic) and loading, with one-line errors.

A claim is data: our one-sentence paraphrase, every article that makes it (with a short
quote, the lines it stands on, and the article as the text names itself), the figures it
gives, the scope its wording is about (device, workloads, task, precision), the check that
decides it and that check's parameters, and what we found about its sourcing. Findings that
span claims (articles contradicting each other, one study reused without credit) and the
article text we did not register (with the reason) live in the same file, so the page cannot
publish a claim that nothing checks or cites nobody, and the note of what was left out cannot
be lost. Ages are written as `{age:YYYY-MM-DD}` and computed from the build date.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

CLAIMS_PATH = Path(__file__).parent / "claims.yaml"
TOPICS = ("speed", "memory", "accuracy", "ease of use", "debugging", "deployment", "ecosystem")
NOT_STATED = "not stated in the article"
MAX_QUOTE_WORDS = 25
DATE_TEMPLATE = re.compile(r"\{(age|date):(\d{4}-\d{2}-\d{2})\}")
ANY_TEMPLATE = re.compile(r"\{[a-z_]+:[^}]*\}")

ConfigValue = int | float | str | bool


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Article(_Strict):
    """An article as the text names itself: a field the text does not give says so instead of being guessed."""

    file: str = Field(description="the seed file the article is kept in")
    title: str = Field(min_length=1)
    heading: str | None = Field(None, description="the main heading, where the text has no title of its own")
    author: str = Field(min_length=1)
    publisher: str = Field(min_length=1, description="as the text gives it, or 'not stated in the article'")
    date: str = Field(min_length=1, description="as the text gives it, or 'not stated in the article'")
    date_iso: dt.date | None = None
    note: str | None = None

    @model_validator(mode="after")
    def dated_consistently(self) -> "Article":
        if (self.date == NOT_STATED) != (self.date_iso is None):
            raise ValueError("date_iso is given exactly when the article states a date")
        return self

    def name(self) -> str:
        """The title in quotes, or the heading where the text has no title."""
        if self.title != NOT_STATED:
            return f"“{self.title}”"
        if self.heading:
            return f"untitled (main heading “{self.heading}”)"
        return "untitled"


class Appearance(_Strict):
    """Where an article makes the claim: a short verbatim quote and the lines of the seed file it stands on."""

    article: str
    lines: list[int] = Field(min_length=1)
    quote: str = Field(min_length=3)

    @field_validator("quote")
    @classmethod
    def short(cls, quote: str) -> str:
        if len(quote.split()) > MAX_QUOTE_WORDS:
            raise ValueError(f"a quote is at most {MAX_QUOTE_WORDS} words; paraphrase the rest")
        return quote


class Figure(_Strict):
    """A figure an article gives, as a number (or the range of several) with its unit."""

    what: str
    value: float | list[float]
    unit: str
    article: str


class Scope(_Strict):
    """What the claim's wording is about. Evidence outside it is shown, labelled, and never decides."""

    device: Literal["any", "cpu", "cuda", "tpu", "mobile", "multi_gpu", "multi_node", "n/a"]
    workloads: list[str] | Literal["any", "n/a"] = "any"
    task: Literal["train", "infer", "any", "n/a"] = "any"
    precision: Literal["fp32", "bf16", "fp16", "mixed", "any", "n/a"] = "any"
    batch: int | None = Field(None, description="only this batch size is in scope")
    sizes: dict[str, dict[str, ConfigValue]] = Field(
        default_factory=dict, description="per workload, config values a row must have (a named model's size)")
    sizes_text: dict[str, str] = Field(default_factory=dict, description="per workload, the named model in words")
    note: str | None = None

    def workload_ok(self, workload: str) -> bool:
        return self.workloads in ("any", "n/a") or workload in self.workloads

    def task_ok(self, task: str) -> bool:
        return self.task in ("any", "n/a") or task == self.task

    def precision_ok(self, precision: str) -> bool:
        if self.precision in ("any", "n/a"):
            return True
        if self.precision == "mixed":
            return precision in ("bf16", "fp16")
        return precision == self.precision

    def device_ok(self, device: str) -> bool:
        if self.device in ("any", "n/a"):
            return True
        return device.split(":")[0] == self.device

    def sizes_ok(self, workload: str, config: dict[str, Any]) -> bool:
        return all(config.get(key) == value for key, value in self.sizes.get(workload, {}).items())

    def words(self) -> str:
        device = {"multi_gpu": "several GPUs", "multi_node": "several machines"}.get(str(self.device), self.device)
        parts = [f"device {device}", f"workloads {', '.join(self.workloads) if isinstance(self.workloads, list) else self.workloads}",
                 f"task {self.task}", f"precision {self.precision}"]
        if self.batch is not None:
            parts.append(f"batch {self.batch}")
        if self.sizes_text:
            parts.append(" and ".join(self.sizes_text.values()))
        return " · ".join(parts)


class Claim(_Strict):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    topic: str
    kind: Literal["difference", "equality"] = "difference"
    claim: str = Field(min_length=10, description="our paraphrase in one sentence, hedges and scope words kept")
    appears_in: list[Appearance] = Field(min_length=1)
    figures: list[Figure] = Field(default_factory=list)
    scope: Scope
    check: str
    params: dict[str, Any] = Field(default_factory=dict)
    findings: list[str] = Field(default_factory=list, description="what we found about the claim's own sourcing")

    @property
    def anchor(self) -> str:
        return f"claim-{self.id}"

    @property
    def articles(self) -> list[str]:
        return list(dict.fromkeys(a.article for a in self.appears_in))


class Finding(_Strict):
    """A finding across claims: articles contradicting each other, one study reused, stale names."""

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    kind: Literal["contradiction", "uncited-reuse", "sourcing", "stale", "attribution"]
    title: str
    text: str
    claims: list[str] = Field(default_factory=list)

    @property
    def anchor(self) -> str:
        return f"finding-{self.id}"


class LeftOut(_Strict):
    """Article text we did not register as a claim, and why."""

    article: str
    lines: list[int] = Field(min_length=1)
    text: str
    reason: str = Field(min_length=5)


class ClaimFile(_Strict):
    articles: dict[str, Article]
    claims: list[Claim]
    findings: list[Finding] = Field(default_factory=list)
    left_out: list[LeftOut] = Field(default_factory=list)

    @model_validator(mode="after")
    def consistent(self) -> "ClaimFile":
        ids = [c.id for c in self.claims]
        duplicates = sorted({i for i in ids if ids.count(i) > 1})
        if duplicates:
            raise ValueError(f"duplicate claim ids: {', '.join(duplicates)}")
        known = set(ids)
        for claim in self.claims:
            if claim.topic not in TOPICS:
                raise ValueError(f"claim {claim.id}: unknown topic {claim.topic!r}; known: {', '.join(TOPICS)}")
            for where in [*claim.appears_in, *claim.figures]:
                if where.article not in self.articles:
                    raise ValueError(f"claim {claim.id}: unknown article {where.article!r}")
            for text in claim.findings:
                _check_templates(text, f"claim {claim.id}")
        for finding in self.findings:
            unknown = sorted(set(finding.claims) - known)
            if unknown:
                raise ValueError(f"finding {finding.id}: unknown claims {', '.join(unknown)}")
            _check_templates(finding.text, f"finding {finding.id}")
        for item in self.left_out:
            if item.article not in self.articles:
                raise ValueError(f"left_out: unknown article {item.article!r}")
        return self

    def claim(self, claim_id: str) -> Claim:
        return next(c for c in self.claims if c.id == claim_id)


def _check_templates(text: str, where: str) -> None:
    for match in ANY_TEMPLATE.finditer(text):
        known = DATE_TEMPLATE.fullmatch(match.group(0))
        if not known:
            raise ValueError(f"{where}: unknown template {match.group(0)!r}; known: {{age:YYYY-MM-DD}}, {{date:YYYY-MM-DD}}")
        dt.date.fromisoformat(known.group(2))


def age_text(then: dt.date, today: dt.date) -> str:
    """'6 years and 11 months', from whole months between the two dates."""
    months = (today.year - then.year) * 12 + today.month - then.month - (today.day < then.day)
    if months < 0:
        raise ValueError(f"{then} is after the build date {today}")
    years, months = divmod(months, 12)
    if years and months:
        return f"{years} year{'s' * (years != 1)} and {months} month{'s' * (months != 1)}"
    if years:
        return f"{years} year{'s' * (years != 1)}"
    if months:
        return f"{months} month{'s' * (months != 1)}"
    return f"{(today - then).days} days"


def render_dates(text: str, today: dt.date) -> str:
    """Fill `{age:YYYY-MM-DD}` (how long before the build date) and `{date:YYYY-MM-DD}` (the date itself)."""
    def fill(match: re.Match[str]) -> str:
        then = dt.date.fromisoformat(match.group(2))
        return age_text(then, today) if match.group(1) == "age" else then.isoformat()

    return DATE_TEMPLATE.sub(fill, text)


class ClaimFileError(ValueError):
    """The claims file is unreadable, breaks the schema, or names a check that does not exist."""


def load_claims(path: Path = CLAIMS_PATH) -> ClaimFile:
    from site_scripts.claims.checks import CHECKS, check_params_error

    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        claims = ClaimFile.model_validate(raw)
    except (OSError, yaml.YAMLError) as exc:
        raise ClaimFileError(f"{path}: cannot read: {' '.join(str(exc).split())}") from None
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        raise ClaimFileError(f"{path}: {where}: {first['msg']}") from None
    for claim in claims.claims:
        if claim.check not in CHECKS:
            raise ClaimFileError(f"{path}: claim {claim.id}: unknown check {claim.check!r}; known: {', '.join(sorted(CHECKS))}")
        problem = check_params_error(claim.check, claim.params)
        if problem:
            raise ClaimFileError(f"{path}: claim {claim.id}: {problem}")
        kind = CHECKS[claim.check].kind
        if kind is not None and claim.kind != kind:
            raise ClaimFileError(f"{path}: claim {claim.id}: check {claim.check} decides {kind} claims, not {claim.kind}")
    return claims
