"""The claims registry: claims.yaml loaded and validated, with one-line errors.

Each claim names the check that decides it (site_scripts.claims.checks.CHECKS) and its source
by key; a claim without a source, or naming a check or source nobody defined, fails to load,
so the page cannot publish a claim that nothing checks or that cites nobody.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

CLAIMS_PATH = Path(__file__).parent / "claims.yaml"
TOPICS = ("speed", "memory", "accuracy", "ease of use", "debugging", "deployment", "ecosystem")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Source(_Strict):
    """An article as it names itself; a field it does not give says so instead of being guessed."""

    title: str = Field(min_length=1)
    publisher: str = Field(min_length=1)
    date: str = Field(min_length=1)
    note: str | None = None


class Figure(_Strict):
    """A figure the article quotes, as a number with its unit."""

    what: str
    value: float
    unit: str


class Claim(_Strict):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    topic: str
    source: str
    claim: str = Field(min_length=10, description="paraphrased in one sentence, never copied")
    figures: list[Figure] = Field(default_factory=list)
    check: str
    params: dict[str, Any] = Field(default_factory=dict)
    findings: list[str] = Field(default_factory=list, description="what we found about the claim's own sourcing")

    @property
    def anchor(self) -> str:
        return f"claim-{self.id}"


class ClaimFile(_Strict):
    sources: dict[str, Source]
    claims: list[Claim]

    @model_validator(mode="after")
    def consistent(self) -> "ClaimFile":
        ids = [c.id for c in self.claims]
        duplicates = sorted({i for i in ids if ids.count(i) > 1})
        if duplicates:
            raise ValueError(f"duplicate claim ids: {', '.join(duplicates)}")
        for claim in self.claims:
            if claim.source not in self.sources:
                raise ValueError(f"claim {claim.id}: unknown source {claim.source!r}")
            if claim.topic not in TOPICS:
                raise ValueError(f"claim {claim.id}: unknown topic {claim.topic!r}; known: {', '.join(TOPICS)}")
        return self


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
    return claims
