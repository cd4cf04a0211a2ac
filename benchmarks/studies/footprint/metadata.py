"""Install footprint from the installed distributions' own metadata: the framework's transitive
requirements (markers evaluated here, extras not taken) and the bytes their RECORD files list.

Nothing is imported from the framework, so this reads the same on a machine where the
framework would take seconds to import, and tests can point it at made-up dist-info folders.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import metadata
from typing import Callable, Iterable

from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import canonicalize_name

Finder = Callable[[str], metadata.Distribution | None]


@dataclass(frozen=True)
class InstalledDistribution:
    name: str
    version: str
    installed_bytes: int
    files: int


def installed_finder(paths: Iterable[str] | None = None) -> Finder:
    """Look distributions up by canonical name, in sys.path or in the given folders."""
    found: dict[str, metadata.Distribution] = {}
    source = metadata.distributions() if paths is None else metadata.distributions(path=list(paths))
    for dist in source:
        found.setdefault(canonicalize_name(dist.metadata["Name"]), dist)
    return lambda name: found.get(canonicalize_name(name))


def requirement_closure(root: str, find: Finder) -> tuple[list[metadata.Distribution], list[str]]:
    """The root and every distribution it needs, transitively, without extras; and what is missing.

    A requirement whose marker is false here (another platform, an extra) is not followed:
    this is what installing the root alone pulls in on this machine.
    """
    seen: dict[str, metadata.Distribution] = {}
    missing: list[str] = []
    pending = [root]
    while pending:
        name = canonicalize_name(pending.pop())
        if name in seen or name in missing:
            continue
        dist = find(name)
        if dist is None:
            missing.append(name)
            continue
        seen[name] = dist
        for text in dist.requires or []:
            try:
                requirement = Requirement(text)
            except InvalidRequirement:
                continue
            if requirement.marker is not None and not requirement.marker.evaluate({"extra": ""}):
                continue
            pending.append(requirement.name)
    return list(seen.values()), sorted(missing)


def installed_size(dist: metadata.Distribution) -> InstalledDistribution:
    """Bytes on disk of the files the distribution's RECORD lists (those that still exist)."""
    total, count = 0, 0
    for file in dist.files or []:
        located = dist.locate_file(file)
        try:
            total += located.stat().st_size  # type: ignore[union-attr]
            count += 1
        except (FileNotFoundError, AttributeError):
            continue
    return InstalledDistribution(dist.metadata["Name"], dist.version, total, count)
