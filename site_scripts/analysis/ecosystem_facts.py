"""The ecosystem fact file: its schema, loading with one-line errors, and staleness.

Facts that cannot be executed here are data with a source and the date the source was read;
the page flags a fact whose check is older than STALE_AFTER at build time, so an old claim
cannot pass for a current one.

"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, HttpUrl, ValidationError, field_validator

FACTS_PATH = Path(__file__).resolve().parents[1] / "data" / "ecosystem_facts.yaml"


STALE_AFTER = timedelta(days=365)


class Source(BaseModel):
    model_config = ConfigDict(extra="forbid")
    url: HttpUrl
    title: str


class Fact(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str
    topic: str
    torch: str
    tensorflow: str
    sources: list[Source]
    checked: date
    check: str | None = None

    @field_validator("sources")
    @classmethod
    def at_least_one(cls, sources: list[Source]) -> list[Source]:
        if not sources:
            raise ValueError("a fact needs at least one source")
        return sources

    def is_stale(self, today: date) -> bool:
        return today - self.checked > STALE_AFTER


class FactFile(BaseModel):
    model_config = ConfigDict(extra="forbid")
    facts: list[Fact]

    @field_validator("facts")
    @classmethod
    def unique_ids(cls, facts: list[Fact]) -> list[Fact]:
        ids = [f.id for f in facts]
        duplicates = sorted({i for i in ids if ids.count(i) > 1})
        if duplicates:
            raise ValueError(f"duplicate fact ids: {', '.join(duplicates)}")
        return facts


class FactFileError(ValueError):
    """The fact file is unreadable or breaks the schema; the message is one line."""


def load_facts(path: Path = FACTS_PATH) -> list[Fact]:
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise FactFileError(f"{path}: cannot read: {' '.join(str(exc).split())}") from None
    try:
        return FactFile.model_validate(raw).facts
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        raise FactFileError(f"{path}: {where}: {first['msg']}") from None
