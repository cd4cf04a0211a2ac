"""The ecosystem fact file: every fact has a source URL and a checked date, and staleness is
computed against the build date (older than 12 months is flagged)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from benchmarks.studies.ecosystem_checks import CHECKS
from site_scripts.analysis import ecosystem_facts


def test_the_committed_fact_file_validates_and_every_fact_is_sourced_and_dated() -> None:
    facts = ecosystem_facts.load_facts()
    assert facts
    for fact in facts:
        assert fact.sources and all(str(s.url).startswith("https://") for s in fact.sources)
        assert isinstance(fact.checked, date)
        assert fact.check is None or fact.check in {*CHECKS, "export"}


def _fact(checked: date) -> ecosystem_facts.Fact:
    return ecosystem_facts.Fact(id="x", topic="t", torch="a", tensorflow="b", sources=[{"url": "https://example.org", "title": "e"}],
                checked=checked)


def test_a_fact_older_than_twelve_months_is_stale_and_a_younger_one_is_not() -> None:
    today = date(2026, 11, 21)
    assert _fact(date(2025, 11, 20)).is_stale(today)
    assert not _fact(date(2025, 11, 22)).is_stale(today)


@pytest.mark.parametrize("body, complaint", [
    ("facts:\n  - {id: a, topic: t, torch: x, tensorflow: y, sources: [], checked: 2026-01-01}\n", "at least one source"),
    ("facts:\n  - {id: a, topic: t, torch: x, tensorflow: y, sources: [{url: 'not a url', title: s}], checked: 2026-01-01}\n",
     "URL"),
    ("facts:\n  - {id: a, topic: t, torch: x, tensorflow: y, sources: [{url: 'https://e.org', title: s}]}\n", "checked"),
    ("facts: [\n", "cannot read"),
])
def test_a_bad_fact_file_is_a_one_line_error(tmp_path: Path, body: str, complaint: str) -> None:
    path = tmp_path / "facts.yaml"
    path.write_text(body)
    with pytest.raises(ecosystem_facts.FactFileError) as raised:
        ecosystem_facts.load_facts(path)
    message = str(raised.value)
    assert "\n" not in message
    assert complaint.lower() in message.lower()


def test_duplicate_fact_ids_are_refused(tmp_path: Path) -> None:
    one = "  - {id: a, topic: t, torch: x, tensorflow: y, sources: [{url: 'https://e.org', title: s}], checked: 2026-01-01}\n"
    path = tmp_path / "facts.yaml"
    path.write_text("facts:\n" + one + one)
    with pytest.raises(ecosystem_facts.FactFileError, match="duplicate fact ids: a"):
        ecosystem_facts.load_facts(path)


def test_the_fact_file_lives_where_the_page_reads_it() -> None:
    assert ecosystem_facts.FACTS_PATH.exists()
