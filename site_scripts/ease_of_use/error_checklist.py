"""Does a captured error message help? Three questions, answered from the message itself.

Each mistake cell declares what a helpful message would mention (cell metadata): `operation`,
a regular expression for the layer or operation that rejected the input, and `offending`,
the shapes (lists of integers) or dtypes (regular expressions) at fault. The third question,
whether the message names the user's own source line, is answered from the example's file
name and line (the run maps the kernel's cell files back to them); where the user's line is in
the traceback instead, the checklist says so separately.

"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any


@dataclass(frozen=True)
class Checklist:
    names_operation: bool
    offending_found: int
    offending_expected: int
    names_source_line: bool
    traceback_reaches_source_line: bool

    @property
    def names_offending(self) -> bool:
        return self.offending_expected > 0 and self.offending_found == self.offending_expected


def shape_pattern(shape: list[Any]) -> re.Pattern[str]:
    """[16, 8, 8] matches "(16, 8, 8)", "[16, 8, 8]" and "16x8x8", not "116, 8, 80"."""
    separator = r"\s*(?:,|x|×)\s*"
    return re.compile(r"(?<!\d)" + separator.join(re.escape(str(n)) for n in shape) + r"(?!\d)")


def text_pattern(expected: Any) -> re.Pattern[str]:
    """The cell's regular expression; the metadata arrives inside a result file, so one that does not compile is
    matched as the literal text it spells rather than failing the build."""
    try:
        return re.compile(str(expected), re.IGNORECASE)
    except re.error:
        return re.compile(re.escape(str(expected)), re.IGNORECASE)


def offending_pattern(expected: Any) -> re.Pattern[str]:
    if isinstance(expected, list):
        return shape_pattern(expected)
    return text_pattern(expected)


def check(error: dict[str, Any], metadata: dict[str, Any], example: str) -> Checklist:
    """`error` as the run recorded it (message, and `line`: the example's own line in the traceback, if any)."""
    message = error.get("message", "")
    operation = metadata.get("operation")
    offending = metadata.get("offending", [])
    name = PurePosixPath(example).name
    line = error.get("line")
    names_line = bool(re.search(re.escape(name) + (rf"\D{{1,10}}{line}(?!\d)" if line else ""), message))
    return Checklist(
        names_operation=bool(operation and text_pattern(operation).search(message)),
        offending_found=sum(1 for expected in offending if offending_pattern(expected).search(message)),
        offending_expected=len(offending),
        names_source_line=names_line,
        traceback_reaches_source_line=line is not None,
    )
