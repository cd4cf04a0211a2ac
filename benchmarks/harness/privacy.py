"""What a run file may say about the machine it ran on: no home directory, no checkout path.

Result files are published. A child's stderr and the command line name absolute paths such as
`/home/<user>/src/fwbench/...`; before anything is written they become `<repo>/...` and `~/...`.
"""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path

from benchmarks.paths import REPO_ROOT

REPO_TOKEN = "<repo>"
HOME_TOKEN = "~"


def _spellings(path: Path) -> list[str]:
    """A folder as it may be written: as given and resolved (symlinks), longest first, never the root itself."""
    found = {str(path).rstrip("/")}
    try:
        found.add(str(path.resolve()).rstrip("/"))
    except OSError:
        pass
    return sorted((s for s in found if s and s != "/"), key=len, reverse=True)


def _home() -> Path | None:
    home = os.environ.get("HOME") or os.path.expanduser("~")
    return Path(home) if home and home not in ("/", "~") else None


def redact(text: str | None, repo: Path = REPO_ROOT, home: Path | None = None) -> str | None:
    """`text` with the checkout's path as `<repo>`, the home directory as `~` and fwbench's temp folders as
    `<tmp>`; the checkout first, since it usually lies inside the home directory."""
    if text is None:
        return None
    home = _home() if home is None else home
    replacements = [(s, REPO_TOKEN) for s in _spellings(repo)]
    if home is not None:
        replacements += [(s, HOME_TOKEN) for s in _spellings(home)]
    for spelled, token in replacements:
        # Only whole path components: /home/al must not eat the start of /home/alice.
        text = re.sub(re.escape(spelled) + r"(?=[/\s'\":;,.)\]}>]|$)", lambda _: token, text)
    temp = re.escape(tempfile.gettempdir().rstrip("/"))
    return re.sub(temp + r"/fwbench-[\w-]+", "<tmp>", text)


def redact_all(value):
    """`redact` applied to every string in a child's result (a reason, a study's messages), keys included."""
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, dict):
        return {redact_all(k): redact_all(v) for k, v in value.items()}
    if isinstance(value, list):
        return [redact_all(v) for v in value]
    return value
