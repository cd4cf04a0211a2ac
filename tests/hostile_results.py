"""A result file as a hostile contributor would send it: a script payload in every field the schema lets one into.

Every string of a committed run (and a new key in every dict whose keys are free text) gets a payload appended;
a payload the schema refuses (identifiers, run ids, dates, statuses: fields with a pattern or a fixed set of
values) is taken out again, until the file validates. What remains is every free-text field, each carrying
markup that would run if any page let it through: a <script>, an onerror handler, an attribute list, a
javascript: link, a fence closer and a placeholder. Each payload calls `fwbenchXss(N)` with its own N, so a
hit names the field (`HostileRun.fields[N]`).
"""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError

from contract.files import load_run
from contract.payloads import PAYLOADS
from contract.schema import RunResult

MARKER = "fwbenchXss"


def payload(n: int) -> str:
    """Under 256 characters (a one-line field's bound), so every free-text field can carry one. `fw_x{: ...}`: an
    identifier becomes a code span in some cells, and an attribute list right after an element sets attributes."""
    return (f"\n```\n</code></pre><script>{MARKER}({n})</script><img src=x onerror={MARKER}({n})>"
            f"`x`{{: onclick={MARKER}({n}) }}fw_x{{: onfocus='{MARKER} ({n})' }}[a](javascript:{MARKER}({n}))"
            f"<svg onload={MARKER}({n})>'\"{{{{ fwbench.x }}}}|*_")


@dataclass
class HostileRun:
    data: dict
    fields: dict[int, str] = field(default_factory=dict)  # payload number -> where it sits

    def write(self, folder: Path) -> Path:
        path = folder / f"{self.data['run_id']}.json"
        path.write_text(json.dumps(self.data, indent=1) + "\n", encoding="utf-8")
        return path


def _walk(node, path: tuple, visit) -> None:
    if isinstance(node, dict):
        for key in list(node):
            _walk(node[key], (*path, key), visit)
        visit(node, path, None)
    elif isinstance(node, list):
        for index, item in enumerate(node):
            _walk(item, (*path, index), visit)


def _get(node, path: tuple):
    for step in path:
        node = node[step]
    return node


def hostile(run_file: Path, run_id: str | None = None, start: int = 1, per_field_limit: int = 6) -> HostileRun:
    """The run in `run_file` (upgraded to the current version) with a payload in every free-text field."""
    data = json.loads(load_run(run_file).model_dump_json())
    if run_id:
        data["run_id"] = run_id
    # What no committed run holds yet, so that its fields are tried too: a GPU and what a framework said of itself.
    data["provenance"]["gpus"].append({"name": "GPU", "memory_bytes": 2**30, "driver_version": None,
                                       "cuda_version": None, "cudnn_version": None})
    data["provenance"]["frameworks"].setdefault("torch", {"installed": True, **dict.fromkeys(
        ("version", "reason", "cpu_capability", "onednn_isa", "native_bf16_detail"))})
    original = copy.deepcopy(data)
    counter = iter(range(start, start + 10**6))
    planted: dict[tuple, tuple[int, str]] = {}  # path in data -> (number, "value" | "alone" | "key")

    per_field: dict[tuple, int] = {}

    def room(path: tuple) -> bool:
        """At most `per_field` payloads per field (list indices aside): every field is covered, pages stay light."""
        field_path = tuple("#" if isinstance(step, int) else step for step in path)
        per_field[field_path] = per_field.get(field_path, 0) + 1
        return per_field[field_path] <= per_field_limit

    def plant(node, path, _):
        for key in list(node):
            value = node[key]
            if isinstance(value, str) and (*path, key) != ("run_id",) and room((*path, key)):
                n = next(counter)
                node[key] = value + payload(n)
                planted[(*path, key)] = (n, "value")
            elif value is None and room((*path, key)):  # a field the run left empty may be text: try it
                n = next(counter)
                node[key] = payload(n)
                planted[(*path, key)] = (n, "alone")
            elif isinstance(value, list):
                for index, item in enumerate(value):
                    if isinstance(item, str) and room((*path, key, index)):
                        n = next(counter)
                        value[index] = item + payload(n)
                        planted[(*path, key, index)] = (n, "value")
        if node and all(isinstance(v, str) for v in node.values()) and room((*path, "<key>")):
            n = next(counter)  # free-text keys, e.g. package names
            node[payload(n)] = "free-text key"
            planted[(*path, payload(n))] = (n, "key")

    _walk(data, (), plant)
    for _ in range(10):
        refused = _refused(data)
        if not refused:
            break
        # One step back per refused payload per round: a union reports one error per member at the same place.
        paths = {max(matches, key=len) for location in refused
                 if (matches := [path for path in planted if location[: len(path)] == path])}
        for path in paths:
            _take_back(data, original, path, planted)
    else:
        raise AssertionError("the hostile run never validated")
    fields = {n: ".".join(map(str, path if kind != "key" else (*path[:-1], "<key>")))
              for path, (n, kind) in planted.items()}
    return HostileRun(data, fields)


def _refused(data: dict) -> list[tuple]:
    """Locations the schema (or a study's payload model) refuses, as paths into `data`."""
    try:
        run = RunResult.model_validate_json(json.dumps(data), strict=True)
    except ValidationError as exc:
        return [tuple(error["loc"]) for error in exc.errors()]
    refused = []
    for index, record in enumerate(run.studies):
        model = PAYLOADS.get(record.study)
        if model is None or record.status != "ok":
            continue
        try:
            model.model_validate_json(json.dumps(record.data), strict=True)
        except ValidationError as exc:
            refused += [("studies", index, "data", *error["loc"]) for error in exc.errors()]
    return refused


def _take_back(data: dict, original: dict, path: tuple, planted: dict[tuple, tuple[int, str]]) -> None:
    """The payload the schema refused at `path`: a value too long for its bound carries the payload alone; a value
    that may hold no payload (a pattern, a date, a status) gets its original back; a refused key goes."""
    n, kind = planted[path]
    parent = _get(data, path[:-1])
    if kind == "key":
        del parent[path[-1]]
        del planted[path]
    elif kind == "value":
        parent[path[-1]] = payload(n)
        planted[path] = (n, "alone")
    else:
        parent[path[-1]] = _get(original, path)
        del planted[path]
