"""Cells of a Jupytext percent-format `.py` example: `# %% Title key=<json> ...` starts a cell.

Pure text processing, shared by the child that executes an example and the page that shows it,
so what is shown is cut exactly where what ran was cut. A cell tagged `raises-exception`
(nbconvert's tag for an expected error) must raise; any other cell that raises fails the build.

"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

MARKER = re.compile(r"^# %%(?P<header>.*)$")


KEY = re.compile(r"\s*(?<![^\s])(?P<key>[A-Za-z_][\w-]*)=")


RAISES = "raises-exception"


class ExampleFormatError(ValueError):
    """An example file the cell parser cannot read; the message is one line naming the file."""


@dataclass(frozen=True)
class Cell:
    title: str
    first_line: int  # 1-based line of the first source line (after the marker)
    source: str
    metadata: dict[str, Any] = field(default_factory=dict)

    @property
    def expects_error(self) -> bool:
        return RAISES in self.metadata.get("tags", ())

    @property
    def padded_source(self) -> str:
        """The source preceded by blank lines, so compiled line numbers are the file's line numbers."""
        return "\n" * (self.first_line - 1) + self.source


def parse_header(header: str, where: str) -> tuple[str, dict[str, Any]]:
    """`Title key=<json> key=<json>`: the title is everything before the first `key=`."""
    first = KEY.search(header)
    if first is None:
        return header.strip(), {}
    title, rest, metadata = header[: first.start()].strip(), header[first.start():], {}
    decoder = json.JSONDecoder()
    while rest.strip():
        match = KEY.match(rest)
        if match is None:
            raise ExampleFormatError(f"{where}: expected key=<json> in cell header, found {rest.strip()[:40]!r}")
        try:
            value, end = decoder.raw_decode(rest, match.end())
        except json.JSONDecodeError:
            raise ExampleFormatError(f"{where}: cell metadata {match['key']}= is not JSON") from None
        metadata[match["key"]] = value
        rest = rest[end:]
    return title, metadata


def parse_cells(text: str, path: str = "<example>") -> list[Cell]:
    """Cells in file order; lines before the first marker form an untitled first cell if not blank."""
    lines = text.splitlines()
    starts: list[tuple[int, str, dict[str, Any]]] = []  # (0-based marker line or -1, title, metadata)
    for index, line in enumerate(lines):
        match = MARKER.match(line)
        if match:
            title, metadata = parse_header(match["header"], f"{path}:{index + 1}")
            starts.append((index, title, metadata))
    if not starts or any(line.strip() for line in lines[: starts[0][0]]):
        starts.insert(0, (-1, "", {}))
    cells = []
    for position, (marker, title, metadata) in enumerate(starts):
        end = starts[position + 1][0] if position + 1 < len(starts) else len(lines)
        body = lines[marker + 1 : end]
        while body and not body[-1].strip():
            body.pop()
        cells.append(Cell(title=title, first_line=marker + 2, source="\n".join(body) + "\n" if body else "",
                          metadata=metadata))
    return [cell for cell in cells if cell.source.strip()]


def read_cells(path: Path) -> list[Cell]:
    return parse_cells(path.read_text(encoding="utf-8"), str(path))
