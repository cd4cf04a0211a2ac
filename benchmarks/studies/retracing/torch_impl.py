"""PyTorch side of the retracing study: torch.compile under varying batch sizes.

Each scenario runs in its own child with an empty Inductor cache directory (set before torch is
imported), so every compilation is paid for as on a user's first run. Compilations are counted
as graphs Dynamo compiled (`counters["stats"]["unique_graphs"]`); graph breaks from
`counters["graph_break"]`, or, where this torch version leaves that empty, from the
unsupported constructs Dynamo broke the graph on (`counters["unimplemented"]`).
"""

from __future__ import annotations

import os
import statistics
import tempfile
import time
import warnings
from typing import Any

os.environ["TORCHINDUCTOR_CACHE_DIR"] = tempfile.mkdtemp(prefix="fwbench-retracing-inductor-")

import torch  # noqa: E402
import torch._dynamo  # noqa: E402
from torch._dynamo.utils import counters  # noqa: E402

from benchmarks.studies.retracing import FEATURES, HIDDEN, call_sequence  # noqa: E402


class MLP(torch.nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.hidden = torch.nn.Linear(FEATURES, HIDDEN)
        self.out = torch.nn.Linear(HIDDEN, 10)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.out(torch.relu(self.hidden(x)))


class BranchingMLP(MLP):
    """A forward that branches on a tensor's value: Dynamo cannot trace through it (a graph break)."""

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        h = torch.relu(self.hidden(x))
        if h.mean() > 0.5:
            h = h * 0.5
        return self.out(h)


# scenario -> (what the user writes, model class, torch.compile keyword arguments or None for eager)
SCENARIOS = {
    "eager": ("model(x), no compilation", MLP, None),
    "compile_default": ("torch.compile(model)", MLP, {}),
    "compile_static": ("torch.compile(model, dynamic=False)", MLP, {"dynamic": False}),
    "compile_dynamic": ("torch.compile(model, dynamic=True)", MLP, {"dynamic": True}),
    "compile_branch": ("torch.compile(model), forward has `if h.mean() > 0.5:`", BranchingMLP, {}),
}


def graph_breaks() -> tuple[int, list[str]]:
    source = counters["graph_break"] or counters["unimplemented"]
    reasons = sorted({str(reason).strip().splitlines()[0][:200] for reason in source})
    return int(sum(source.values())), reasons


def run(spec: dict[str, Any]) -> dict[str, Any]:
    config = spec.get("config", {})
    scenario = str(config.get("scenario", "compile_default"))
    if scenario not in SCENARIOS:
        raise NotImplementedError(f"unknown torch retracing scenario {scenario!r}")
    api, model_class, compile_options = SCENARIOS[scenario]
    if spec.get("threads"):
        torch.set_num_threads(int(spec["threads"]))
    device = torch.device("cuda" if spec.get("device") == "cuda" else "cpu")
    if device.type == "cuda" and not torch.cuda.is_available():
        raise NotImplementedError("CUDA requested but torch sees no GPU")
    sizes = call_sequence(str(config.get("sizes", spec.get("preset", "quick"))))

    torch.manual_seed(0)
    model = model_class().to(device).eval()
    function = model if compile_options is None else torch.compile(model, **compile_options)
    inputs = [torch.randn(n, FEATURES, device=device) for n in sizes]
    seconds = []
    with warnings.catch_warnings(record=True) as caught, torch.no_grad():
        warnings.simplefilter("always")
        for x in inputs:
            start = time.perf_counter()
            function(x)
            if device.type == "cuda":
                torch.cuda.synchronize()
            seconds.append(time.perf_counter() - start)
    breaks, reasons = graph_breaks()
    result = {
        "scenario": scenario, "api": api, "batch_sizes": sizes,
        "traces": int(counters["stats"]["unique_graphs"]), "graph_breaks": breaks, "graph_break_reasons": reasons,
        "call_seconds": seconds, "first_call_seconds": seconds[0], "total_seconds": sum(seconds),
        "steady_call_seconds": statistics.median(seconds[len(sizes) // 2:]),
        "warnings": sorted({str(w.message).splitlines()[0][:300] for w in caught}),
    }
    return {"framework_version": torch.__version__, "features": FEATURES, "hidden_units": HIDDEN, "scenario": result}
