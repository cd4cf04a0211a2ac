"""Result files are untrusted input, and a run must survive signals, full disks and a second run (issue 19).

Tried as a hostile contributor or an unlucky operator would: payloads in every free-text field of a result
file (no script may run on any page), malformed files of every kind (one line each, never a traceback), two
resumes racing for one folder, signals to a running run (no child survives), a disk that fills mid-run, and
runs that die of memory or of someone else's SIGKILL (classified from evidence). The browser half builds the
site from the hostile files and watches every page for a payload that runs (marked e2e).
"""

from __future__ import annotations

import errno
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from functools import partial
from http.server import ThreadingHTTPServer
from pathlib import Path
from types import SimpleNamespace

import markdown
import pytest
from mkdocs.exceptions import PluginError

from benchmarks.harness import child_process, out_of_memory, provenance, run_plan, run_request, runner
from benchmarks.harness.memory import current_rss_bytes
from contract.files import (
    ResultFileError,
    complete_runs,
    dump_run,
    final_path,
    load_run,
    partial_path,
    publish,
    write_new,
)
from contract.schema import FrameworkRuntime
from fwbench import cli
from site_scripts import placeholders
from site_scripts.chrome import citation, page_guard, run_selector
from site_scripts.site_build import build_site
from tests.conftest import REPO_ROOT
from tests.hostile_results import MARKER, hostile
from tests.made_up_results import made_up_run
from tests.test_runner import InterruptAfter, request, samples_of

RESULTS = REPO_ROOT / "results"
V1_FIXTURE = REPO_ROOT / "tests" / "fixtures" / "schema_v1_run.json"
# Placeholders that render our own executed examples, never a result file.
NO_RUN_INPUT = re.compile(r"^ease_(task_.*|versions|code_metrics|error_checklist)$")


# --- hostile result files: no payload becomes active content ---------------------------------------------------


@pytest.fixture(scope="module")
def hostile_runs(tmp_path_factory):
    """Every committed run with a payload in every free-text field, written and read back through the reader."""
    folder = tmp_path_factory.mktemp("hostile")
    runs, fields = [], {}
    for index, path in enumerate(complete_runs(RESULTS)):
        planted = hostile(path, start=(index + 1) * 10**6)
        runs.append(load_run(planted.write(folder)))
        fields.update(planted.fields)
    return runs, fields


def markdown_to_html(text: str) -> str:
    """The page's Markdown as MkDocs converts it: mkdocs.yml's own extensions and their settings."""
    from mkdocs.config import load_config

    config = load_config(str(REPO_ROOT / "mkdocs.yml"))
    return markdown.Markdown(extensions=config.markdown_extensions, extension_configs=config.mdx_configs).convert(text)


def _where(problem_html: str, fields: dict[int, str]) -> str:
    numbers = sorted({int(n) for n in re.findall(rf"{MARKER}\s*\((\d+)\)", problem_html)})
    return ", ".join(fields.get(n, "?") for n in numbers[:5])


def test_the_hostile_runs_carry_a_payload_in_every_free_text_field(hostile_runs):
    runs, fields = hostile_runs
    planted = {re.sub(r"\.\d+(?=\.|$)", ".#", where) for where in fields.values()}
    for expected in ("workloads.mlp.title", "command", "provenance.host.cpu_model", "cases.#.samples.#.framework_version",
                     "cases.#.samples.#.reason", "rules.interval_method", "provenance.packages.<key>",
                     "studies.#.data.cells.#.message", "workloads.lstm.notes.torch_hidden_bias"):
        assert expected in planted, expected
    assert len(fields) > 500
    assert all(MARKER in run.command for run in runs)


def test_no_placeholder_lets_a_payload_become_active_content(hostile_runs):
    """Every placeholder of every page, filled from each hostile run (and from all of them, for the pages that
    draw on every run), converted as MkDocs converts it: the HTML must hold no script, handler or javascript: URL.
    Reverting any escape (a workload title in a heading, a recorded string in raw HTML) fails here."""
    runs, fields = hostile_runs
    placeholders.load_pages()
    found = []
    for name, render in sorted(placeholders.PLACEHOLDERS.items()):
        if NO_RUN_INPUT.match(name):
            continue
        outputs = [render(runs)] if name in placeholders.ALL_RUNS else [render(run) for run in runs]
        for output in outputs:
            html = markdown_to_html(output)
            problems = page_guard.active_content(html)
            if problems:
                found.append(f"{name}: {problems[0]} from {_where(html, fields)}")
    assert not found, found


def test_the_citation_and_the_run_note_keep_every_payload_inert(hostile_runs):
    """The two blocks the hook adds to every page: 'Cite this page' (fenced text and BibTeX) and the run note."""
    runs, fields = hostile_runs
    for run in runs:
        cite = citation.cite_markdown(f"A title {run.workloads and next(iter(run.workloads.values())).title}", [run],
                                      "/page--x/", permalink_is_relative=True)
        note = run_selector.run_note_html(run, [], [run_selector.RunChoice(r, f"../{r.run_id}/", r is run) for r in runs],
                                          run_selector.Default(run, f"the default: {run.command}", False))
        for block in (cite, note + "\n\n# After the note\n\nstill Markdown"):
            html = markdown_to_html(block)
            assert page_guard.active_content(html) == [], _where(html, fields)
        assert "<h1" in markdown_to_html(note + "\n\n# After the note"), "the run note swallowed the page"


@pytest.mark.parametrize("html, problem", [
    ("<p>x</p><script>alert(1)</script>", "<script>"),
    ('<script src="/x.js"></script>', "<script>"),
    ('<img src="x" onerror="alert(1)">', "onerror"),
    ('<svg onload="alert(1)"></svg>', "onload"),
    ('<a href="javascript:alert(1)">a</a>', "javascript:"),
    ('<a href="  jav&#x61;script:alert(1)">a</a>', "javascript:"),
    ('<a href="java\tscript:alert(1)">a</a>', "javascript:"),
    ('<iframe src="https://example.org"></iframe>', "<iframe>"),
    ('<div srcdoc="&lt;script&gt;"></div>', "srcdoc"),
    ('<base href="https://example.org/">', "<base>"),
    ('<form action="javascript:alert(1)"></form>', "javascript:"),
    ('<code onclick="alert(1)">x</code>', "onclick"),
])
def test_the_page_guard_finds_every_kind_of_active_content(html, problem):
    problems = page_guard.active_content(html)
    assert any(problem in p for p in problems), problems
    with pytest.raises(page_guard.PageGuardError, match="memory.md: .*not published"):
        page_guard.check_content(html, "memory.md")


def test_the_page_guard_lets_figures_icons_and_links_through():
    html = ('<div class="fwbench-chart" id="c"></div><script type="application/json" class="fwbench-figure" '
            'data-for="c">{"data":[]}</script><a href="../history/">History</a> <a href="https://example.org/">x</a> '
            '<a href="mailto:a@b.c">m</a><svg viewBox="0 0 24 24"><path d="M1 1"></path></svg>'
            '<span class="fwbench-failed">&lt;script&gt;</span><form class="fwbench-compare-form"><select></select></form>')
    assert page_guard.active_content(html) == []


def test_the_build_hook_refuses_a_page_with_active_content_or_too_much_weight():
    from site_scripts import hooks

    page = SimpleNamespace(file=SimpleNamespace(src_uri="memory.md"), url="memory/")
    assert hooks.on_page_content("<p>fine</p>", page, None, None) == "<p>fine</p>"
    with pytest.raises(PluginError, match="memory.md: the page's content holds an event-handler attribute onerror="):
        hooks.on_page_content('<p><img src=x onerror="alert(1)"></p>', page, None, None)
    hooks._bundle_types = frozenset({"bar", "scatter"})
    heavy = "<html>" + "x" * (page_guard.PAGE_BUDGET_BYTES + 1) + "</html>"
    with pytest.raises(PluginError, match="memory.md: 500 KB, over the 500 KB"):
        hooks.on_post_page(heavy, page, None)
    assert hooks.on_post_page("<html></html>", page, None) == "<html></html>"


@pytest.mark.e2e
def test_no_payload_runs_in_the_browser(hostile_runs, tmp_path_factory, browser):
    """The site built from the hostile runs (the build's own guard passes it), served, every page and every run
    variant opened in chromium: `fwbenchXss` is defined before any script runs and must never be called."""
    from tests.test_browser import _QuietHandler

    runs, fields = hostile_runs
    folder = tmp_path_factory.mktemp("hostile-site")
    results = folder / "results"
    results.mkdir()
    for run in runs:
        dump_run(run, final_path(results, run.run_id))
    site = folder / "site"
    build_site(results, site)
    pages = sorted(p.relative_to(site).as_posix() for p in site.rglob("index.html"))
    assert len(pages) > 15
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(_QuietHandler, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    hits: list[tuple[str, int]] = []
    injected: list[str] = []
    try:
        context = browser.new_context()
        context.add_init_script(f"window.{MARKER} = (n) => {{ (window.__hits = window.__hits || []).push(n); }};"
                                "window.alert = window.confirm = window.prompt = () => {};")
        for path in pages:
            page = context.new_page()
            page.on("dialog", lambda dialog: hits.append((path, -1)))
            page.goto(base + path.removesuffix("index.html"), wait_until="load")
            page.mouse.move(10, 10)  # hover and click handlers get their chance too
            page.evaluate("() => document.querySelectorAll('code, a, span, td').forEach(e => {"
                          "e.dispatchEvent(new MouseEvent('mouseover', {bubbles: true}));"
                          "e.dispatchEvent(new FocusEvent('focus')); })")
            hits += [(path, n) for n in page.evaluate("() => window.__hits || []")]
            if page.evaluate("() => document.querySelectorAll('img[src=\"x\"], iframe, svg[onload]').length"):
                injected.append(path)
            page.close()
        context.close()
    finally:
        server.shutdown()
        server.server_close()
    assert not hits, [(path, fields.get(n, n)) for path, n in hits[:10]]
    assert not injected, f"payload elements in the DOM of {injected[:5]}"


# --- malformed result files: one line each, nothing built ------------------------------------------------------


def _current() -> dict:
    return json.loads(made_up_run(with_failure=True).model_dump_json())


def _with(change) -> str:
    data = _current()
    change(data)
    return json.dumps(data)


def _committed_v3() -> dict:
    return json.loads(next(p for p in complete_runs(RESULTS) if '"schema_version": 3' in p.read_text()).read_text())


def _sample(data: dict) -> dict:
    return data["cases"][0]["samples"][0]


def _number_as(literal: str) -> str:
    """A valid current file with its first wall_seconds written as `literal` (what JSON itself does not allow)."""
    return re.sub(r'"wall_seconds": [0-9.e+-]+', f'"wall_seconds": {literal}', json.dumps(_current()), count=1)


MALFORMED = {
    "a NaN literal": (lambda: _number_as("NaN"), "NaN is not a number JSON allows"),
    "Infinity": (lambda: _number_as("-Infinity"), "Infinity is not a number JSON allows"),
    "a number beyond float": (lambda: _number_as("1e999"), "1e999 is not a finite number"),
    "schema_version true": (lambda: _with(lambda d: d.update(schema_version=True)), "schema_version True is not understood"),
    "schema_version 4.0": (lambda: _with(lambda d: d.update(schema_version=4.0)), "schema_version 4.0 is not understood"),
    "schema_version '4'": (lambda: _with(lambda d: d.update(schema_version="4")), "schema_version '4' is not understood"),
    "a v3 file relabelled 1": (lambda: json.dumps({**_committed_v3(), "schema_version": 1}),
                               "claims schema_version 1 but holds equivalence, which version 2 introduced"),
    "a malformed v1 file": (lambda: json.dumps({k: v for k, v in json.loads(V1_FIXTURE.read_text()).items()
                                                if k != "settings"}),
                            "a malformed version-1 file that cannot be upgraded (missing field 'settings')"),
    "a v1 file whose config is a list": (lambda: json.dumps({**json.loads(V1_FIXTURE.read_text()), "cases": [
        {**json.loads(V1_FIXTURE.read_text())["cases"][0], "config": [1, 2]}]}), "cannot be upgraded"),
    "nesting no run has": (lambda: '{"schema_version": 4, "x": ' + "[" * 100_000 + "]" * 100_000 + "}",
                           "nested deeper than any result file"),
    "run id ../escaped-run": (lambda: _with(lambda d: d.update(run_id="../escaped-run")), "run_id: String should match"),
    "an absolute run id": (lambda: _with(lambda d: d.update(run_id="/tmp/anywhere")), "run_id: String should match"),
    "a 3 MB stderr tail": (lambda: _with(lambda d: _sample(d).update(stderr_tail="e" * 3_000_000)),
                           "stderr_tail: String should have at most 3000 characters"),
    "a 3 MB command": (lambda: _with(lambda d: d.update(command="fwbench " * 400_000)), "command: String should have at most"),
    "a 1 MB CPU model": (lambda: _with(lambda d: d["provenance"]["host"].update(cpu_model="X" * 1_000_000)),
                         "cpu_model: String should have at most 256 characters"),
    "a bool where an int goes": (lambda: _with(lambda d: _sample(d).update(repeat_index=True)),
                                 "repeat_index: Input should be a valid integer"),
    "a workload name with markup": (lambda: _with(lambda d: d["cases"][0].update(workload="<b>mlp</b>")),
                                    "workload: String should match pattern"),
    "not an object": (lambda: "[]", "not a fwbench results file"),
}


@pytest.mark.parametrize("name", list(MALFORMED))
def test_a_malformed_file_is_refused_in_one_line_and_nothing_is_built(name, tmp_path, capsys):
    make, expected = MALFORMED[name]
    path = tmp_path / "results" / "20260101T000000Z-abc123.json"
    path.parent.mkdir()
    path.write_text(make(), encoding="utf-8")
    with pytest.raises(ResultFileError) as refused:
        load_run(path)
    message = str(refused.value)
    assert "\n" not in message and expected in message, message
    assert cli.main(["build", "--results", str(path.parent), "--site-dir", str(tmp_path / "site")]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("fwbench: error: ") and expected in err[0], err
    assert not (tmp_path / "site").exists()
    assert cli.main(["validate", str(path.parent)]) == 1  # what the benchmarks workflow runs before a pull request
    err = capsys.readouterr().err.strip().splitlines()
    assert err[0].startswith(f"refused: {path}: ") and expected in err[0] and err[1].startswith("fwbench: error: 1 of 1")


def test_validate_passes_the_committed_runs_and_names_each(capsys):
    assert cli.main(["validate", str(RESULTS)]) == 0
    out = capsys.readouterr().out.strip().splitlines()
    assert len(out) == len(complete_runs(RESULTS)) and all(line.startswith("ok: ") for line in out)


def test_a_file_larger_than_any_run_is_refused_before_it_is_parsed(tmp_path):
    path = tmp_path / "big.json"
    with open(path, "wb") as handle:
        handle.truncate(33 * 2**20)
    with pytest.raises(ResultFileError, match="larger than any run"):
        load_run(path)


def test_a_run_id_that_is_a_path_never_names_a_file(tmp_path):
    for bad in ("../escaped-run", "/tmp/anywhere", "a/b", "20260101T000000Z-abc123/../../x"):
        with pytest.raises(ResultFileError, match="is not a fwbench run id"):
            final_path(tmp_path, bad)
        with pytest.raises(ResultFileError, match="is not a fwbench run id"):
            partial_path(tmp_path, bad)


def test_resume_refuses_a_partial_file_whose_run_id_is_a_path_and_writes_nothing_outside(tmp_path, capsys):
    out = tmp_path / "out"
    out.mkdir()
    data = _current()
    data.update(run_id="../escaped-run", status="incomplete")
    (out / "20260101T000000Z-abc123.partial.json").write_text(json.dumps(data))
    assert cli.main(["run", "--resume", "--out", str(out)]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert err[-1].startswith("fwbench: error: ") and "run_id" in err[-1]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_writing_refuses_what_reading_would_refuse_so_a_run_never_writes_a_file_it_cannot_load(tmp_path):
    run = made_up_run()
    run.settings.timeout_seconds = float("nan")  # what `--timeout nan` did: written as null, then unreadable
    with pytest.raises(ResultFileError, match="refusing to write a file that would not load"):
        dump_run(run, tmp_path / "x.json")
    assert not (tmp_path / "x.json").exists()


# --- the command line: every bad value is one line ------------------------------------------------------------


@pytest.mark.parametrize("args, expected", [
    (["run", "--only", "unsupported,unsupported"], "--only: 'unsupported' is listed twice"),
    (["run", "--frameworks", "torch,torch"], "--frameworks: 'torch' is listed twice"),
    (["run", "--only", ","], "--only ',': names no value"),
    (["run", "--only", "unsupported", "--tasks", " , "], "--tasks ' , ': names no value"),
    (["run", "--timeout", "nan"], "--timeout must be a positive, finite number of seconds"),
    (["run", "--timeout", "inf"], "--timeout must be a positive, finite number of seconds"),
    (["run", "--timeout", "-5"], "--timeout must be a positive, finite number of seconds"),
])
def test_bad_run_options_are_one_line(args, expected, tmp_path, fake_workloads, capsys):
    assert cli.main([*args, "--out", str(tmp_path)]) != 0
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and expected in err[0], err
    assert list(tmp_path.iterdir()) == []


def test_a_request_with_a_duplicate_or_a_non_finite_timeout_is_refused_before_anything_runs(tmp_path, fake_workloads):
    for overrides, expected in ((dict(workloads=["unsupported", "unsupported"]), "listed twice"),
                                (dict(frameworks=["torch", "torch"]), "listed twice"),
                                (dict(workloads=[]), "no workload to run"),
                                (dict(timeout_seconds=float("nan")), "positive, finite"),
                                (dict(timeout_seconds=float("inf")), "positive, finite")):
        with pytest.raises(run_request.RunError, match=expected):
            workloads = overrides.pop("workloads", ["unsupported"])
            run_request.validate_request(request(tmp_path, workloads, **overrides))


def test_serve_on_a_port_that_is_not_one_is_one_line():
    done = subprocess.run([sys.executable, "-m", "fwbench", "serve", "--port", "99999"], cwd=REPO_ROOT,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert done.stderr.strip().splitlines() == [
        "fwbench serve: error: argument --port: 99999 is not a port: give one from 1 to 65535 (see fwbench serve --help)"]


@pytest.mark.parametrize("where", ["a file", "below a file"])
def test_out_pointing_at_a_file_is_one_line(where, tmp_path, capsys):
    blocker = tmp_path / "results.txt"
    blocker.write_text("not a folder")
    out = blocker if where == "a file" else blocker / "results"
    assert cli.main(["run", "--resume", "--out", str(out)]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith(f"fwbench: error: --out {out}: "), err
    assert blocker.read_text() == "not a folder"


# --- disks: full and read-only ---------------------------------------------------------------------------------


class SmallDisk:
    """A 4 MiB tmpfs where this user may mount one (root); otherwise ENOSPC simulated at the write (say which)."""

    def __init__(self, root: Path) -> None:
        self.path = root / "disk"
        self.path.mkdir()
        self.patch = pytest.MonkeyPatch()
        mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(self.path)],
                                 capture_output=True, check=False) if os.geteuid() == 0 else None
        self.real = mounted is not None and mounted.returncode == 0
        self.filler = self.path / "filler"

    def fill(self) -> None:
        if self.real:
            with open(self.filler, "wb") as handle:
                try:
                    while True:
                        handle.write(b"\0" * 65536)
                        handle.flush()
                except OSError as exc:
                    assert exc.errno == errno.ENOSPC
            return
        from contract import files

        def full(path, text):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))

        self.patch.setattr(files, "_temp_beside", full)

    def free(self) -> None:
        if self.real:
            self.filler.unlink()
        else:
            self.patch.undo()

    def unmount(self) -> None:
        if self.real:
            subprocess.run(["umount", "-l", str(self.path)], check=False)


@pytest.fixture
def quick_start(monkeypatch):
    """Skip asking the real frameworks what they will use (a child per framework): the fake workloads need neither."""
    monkeypatch.setattr(provenance, "framework_runtimes",
                        lambda frameworks: {fw: FrameworkRuntime(installed=True, version="0.0-fake") for fw in frameworks})


def test_a_disk_that_fills_mid_run_keeps_every_saved_process_and_says_how_to_resume(tmp_path, fake_workloads,
                                                                                    quick_start, monkeypatch, capsys):
    disk = SmallDisk(tmp_path)
    try:
        out = disk.path / "results"
        real = runner.run_process
        calls = []

        def fill_after_the_first(*args, **kwargs):
            sample = real(*args, **kwargs)
            calls.append(sample)
            if len(calls) == 2:  # the first process is saved; the disk fills before the second is
                disk.fill()
            return sample

        monkeypatch.setattr(runner, "run_process", fill_after_the_first)
        code = cli.main(["run", "--only", "unsupported", "--device", "cpu", "--tasks", "train", "--modes", "eager",
                         "--precisions", "fp32", "--skip-calibration", "--studies", "none", "--processes", "2",
                         "--out", str(out)])
        err = [line for line in capsys.readouterr().err.splitlines() if line.strip()]
        assert code == 1 and "Traceback" not in "\n".join(err)
        errors = [line for line in err if line.startswith("fwbench: error:")]
        assert len(errors) == 1 and "No space left on device" in errors[0] and "--resume" in errors[0], err
        (partial,) = out.glob("*.partial.json")
        kept = load_run(partial)
        assert sum(len(c.samples) for c in kept.cases) == 1  # the saved process survived the full disk
        assert [p.name for p in out.iterdir() if p.name.endswith(".tmp")] == []
        disk.free()
        monkeypatch.setattr(runner, "run_process", real)
        assert cli.main(["run", "--resume", "--out", str(out)]) == 0
        (final,) = complete_runs(out)
        done = load_run(final)
        assert done.run_id == kept.run_id and sum(len(c.samples) for c in done.cases) == 4
    finally:
        disk.unmount()


def test_a_read_only_results_folder_is_one_line(tmp_path, capsys):
    folder = tmp_path / "ro"
    folder.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "ro,size=1m", "tmpfs", str(folder)], capture_output=True,
                             check=False) if os.geteuid() == 0 else None
    if mounted is None or mounted.returncode != 0:
        if os.geteuid() == 0:
            pytest.skip("root without mount rights: no folder can be made read-only for root")
        folder.chmod(0o555)  # without mount rights: a folder this user may not write
    try:
        assert cli.main(["run", "--resume", "--out", str(folder / "results")]) == 1
        err = capsys.readouterr().err.strip().splitlines()
        assert len(err) == 1 and "cannot create the results folder" in err[0], err
        assert "Read-only file system" in err[0] or "Permission denied" in err[0]
    finally:
        if mounted is not None and mounted.returncode == 0:
            subprocess.run(["umount", "-l", str(folder)], check=False)
        folder.chmod(0o755)


# --- concurrency: one run per folder, and no final file is ever replaced ---------------------------------------


def _spawn(*args: str, env: dict | None = None) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "fwbench", *args], cwd=REPO_ROOT, env=env or dict(os.environ),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _wait_for(condition, timeout: float = 90.0, what: str = "condition") -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


def _interrupted_run(tmp_path: Path, workloads: list[str], finished: int, **overrides):
    run = run_plan.start_run(request(tmp_path, workloads, **overrides))
    with pytest.raises(KeyboardInterrupt):
        runner.execute(run, tmp_path, InterruptAfter(finished))
    return run


def test_two_resumes_race_for_one_folder_one_runs_the_other_is_refused(tmp_path, fake_workloads, quick_start):
    run = _interrupted_run(tmp_path, ["slow"], 1, processes_per_case=2)
    first = _spawn("run", "--resume", "--out", str(tmp_path))
    lock = tmp_path / ".fwbench.lock"
    _wait_for(lambda: lock.exists() and run.run_id in lock.read_text(), what="the first resume to take the folder")
    second = subprocess.run([sys.executable, "-m", "fwbench", "run", "--resume", "--out", str(tmp_path)],
                            cwd=REPO_ROOT, capture_output=True, text=True, timeout=120)
    assert first.poll() is None, "the race needs the first resume still running"
    assert second.returncode == 1 and "Traceback" not in second.stderr
    (line,) = second.stderr.strip().splitlines()
    assert f"is in use by fwbench run {run.run_id} (pid {first.pid})" in line and "never run at once" in line
    _, first_err = first.communicate(timeout=120)
    assert first.returncode == 0, first_err
    (final,) = complete_runs(tmp_path)
    done = load_run(final)
    assert done.run_id == run.run_id and sum(len(c.samples) for c in done.cases) == 4
    assert not partial_path(tmp_path, run.run_id).exists()


def test_the_final_file_is_never_replaced_even_when_it_appears_mid_run(tmp_path, fake_workloads, quick_start):
    run = run_plan.start_run(request(tmp_path, ["unsupported"]))
    final = final_path(tmp_path, run.run_id)

    class AnotherWriter(InterruptAfter):
        def sample_finished(self, case, sample):
            if not final.exists():
                final.write_text("another run's file\n")

    with pytest.raises(run_request.RunError, match="already exists; result files are never overwritten; this run "
                                                   "stays in"):
        runner.execute(run, tmp_path, AnotherWriter(99))
    assert final.read_text() == "another run's file\n"
    kept = load_run(partial_path(tmp_path, run.run_id))
    assert kept.status == "complete" and sum(len(c.samples) for c in kept.cases) == 2


def test_publish_and_write_new_never_replace_a_file(tmp_path):
    partial, final = tmp_path / "a.partial.json", tmp_path / "a.json"
    partial.write_text("new")
    final.write_text("old")
    with pytest.raises(ResultFileError, match="already exists"):
        publish(partial, final)
    with pytest.raises(ResultFileError, match="already exists"):
        write_new(final, "newer")
    assert final.read_text() == "old" and partial.read_text() == "new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.json", "a.partial.json"]


# --- signals: no child outlives the run ------------------------------------------------------------------------


def _processes_with(marker: str) -> list[int]:
    """Processes whose environment holds `marker`: the run's launchers and children, wherever they were re-parented."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            environ = (entry / "environ").read_bytes()
            state = (entry / "stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if marker.encode() in environ and state != "Z":
            found.append(int(entry.name))
    return found


def _hanging_resume(tmp_path: Path):
    """A run whose first process finished and whose second (TensorFlow's, `hangs`) is running, resumed by a
    separate `fwbench run --resume`; returns that process and the marker in its children's environment."""
    run = _interrupted_run(tmp_path, ["hangs"], 1, timeout_seconds=600.0)
    marker = f"FWBENCH_TEST_MARKER_{uuid.uuid4().hex}"
    proc = _spawn("run", "--resume", "--out", str(tmp_path), env={**os.environ, marker: "1"})
    _wait_for(lambda: len(_processes_with(marker)) >= 3, what="the hanging child (fwbench, launcher, child)")
    return run, proc, marker


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGHUP, signal.SIGINT])
def test_a_signal_to_the_run_kills_every_child_and_keeps_what_finished(sig, tmp_path, fake_workloads, quick_start):
    run, proc, marker = _hanging_resume(tmp_path)
    proc.send_signal(sig)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 128 + sig, err
    _wait_for(lambda: _processes_with(marker) == [], timeout=10, what="every child to be gone")
    assert f"stopped by {signal.Signals(sig).name}" in err and "--resume" in err and "Traceback" not in err
    kept = load_run(partial_path(tmp_path, run.run_id))
    assert [s.status for c in kept.cases for s in c.samples] == ["ok"]
    assert list(Path(tempfile.gettempdir()).glob(f"fwbench-{proc.pid}-*")) == []


def test_sigkill_of_the_run_takes_its_children_too(tmp_path, fake_workloads, quick_start):
    """SIGKILL cannot be caught: the launcher's PR_SET_PDEATHSIG kills the child's group when the parent dies."""
    run, proc, marker = _hanging_resume(tmp_path)
    proc.kill()
    proc.communicate(timeout=30)
    _wait_for(lambda: _processes_with(marker) == [], timeout=10, what="every child to die with its parent")
    assert load_run(partial_path(tmp_path, run.run_id)).status == "incomplete"
    child_process.remove_orphaned_temp_dirs()  # what the next run does first
    assert list(Path(tempfile.gettempdir()).glob(f"fwbench-{proc.pid}-*")) == []


def test_a_run_killed_with_sigkill_leaves_no_lock_behind(tmp_path, fake_workloads, quick_start):
    run, proc, marker = _hanging_resume(tmp_path)
    proc.kill()
    proc.communicate(timeout=30)
    _wait_for(lambda: _processes_with(marker) == [], timeout=10, what="the children")
    from benchmarks.harness import out_dir_lock

    with out_dir_lock.holding(tmp_path, "a later run"):  # the kernel released the dead run's flock
        pass


# --- out of memory, from evidence ------------------------------------------------------------------------------


def test_out_of_memory_is_read_from_the_frameworks_messages_and_a_sigkill_alone_proves_nothing(
        tmp_path, fake_workloads, quick_start):
    run = load_run(runner.execute(run_plan.start_run(request(tmp_path, ["oom_message", "sigkilled"])), tmp_path))
    (torch_oom,) = samples_of(run, "oom_message", "torch")
    assert torch_oom.status == "out_of_memory" and "DefaultCPUAllocator: can't allocate memory" in torch_oom.reason
    (tf_oom,) = samples_of(run, "oom_message", "tensorflow")
    assert tf_oom.status == "out_of_memory" and "killed by SIGABRT after 'std::bad_alloc'" in tf_oom.reason
    (killed,) = samples_of(run, "sigkilled", "tensorflow")
    assert killed.status == "crashed" and killed.reason.startswith("killed by SIGKILL (cause unknown")


def _killed() -> int:
    return signal.SIGKILL  # os.WIFSIGNALED/WTERMSIG read a wait status whose low 7 bits are the signal


@pytest.mark.parametrize("evidence, expected_status, expected_reason", [
    (dict(oom_kills_before=3, oom_kills_after=4), "out_of_memory", "oom_kill counter rose from 3 to 4"),
    (dict(peak_rss_bytes=950 * 2**20, limit_bytes=1000 * 2**20), "out_of_memory", "950 MiB RSS of a 1,000 MiB limit"),
    (dict(peak_rss_bytes=200 * 2**20, limit_bytes=1000 * 2**20), "crashed", "killed by SIGKILL (cause unknown"),
    (dict(oom_kills_before=3, oom_kills_after=3), "crashed", "killed by SIGKILL (cause unknown"),
    (dict(stderr_tail="RuntimeError: CUDA out of memory. Tried to allocate 2.00 GiB"), "out_of_memory", "CUDA out of memory"),
])
def test_a_sigkill_is_out_of_memory_only_with_evidence(evidence, expected_status, expected_reason):
    args = dict(oom_kills_before=None, oom_kills_after=None, peak_rss_bytes=None, limit_bytes=None)
    args.update({k: v for k, v in evidence.items() if k != "stderr_tail"})
    status, reason = out_of_memory.classify_death(_killed(), evidence.get("stderr_tail"), **args)
    assert (status, expected_reason in reason) == (expected_status, True), reason


@pytest.mark.parametrize("type_name, message, oom", [
    ("RuntimeError", "[enforce fail at alloc_cpu.cpp:75] . DefaultCPUAllocator: can't allocate memory: you tried to "
                     "allocate 132426121216 bytes. Error code 12 (Cannot allocate memory)", True),
    ("SystemError", "mmap failed: Cannot allocate memory", True),
    ("ResourceExhaustedError", "OOM when allocating tensor with shape[1024,1024]", True),
    ("OutOfMemoryError", "CUDA out of memory", True),
    ("RuntimeError", "deliberate crash while building the model", False),
    ("ValueError", "shapes (3,) and (4,) not aligned", False),
])
def test_a_childs_exception_is_out_of_memory_by_class_or_by_message(type_name, message, oom):
    assert out_of_memory.exception_is_out_of_memory(type_name, message) is oom


@pytest.mark.parametrize("version", ["v1", "v2"])
def test_the_cgroup_oom_counter_and_limit_are_read_where_the_kernel_keeps_them(version, tmp_path):
    proc_cgroup = tmp_path / "cgroup"
    if version == "v2":
        proc_cgroup.write_text("0::/user.slice/run\n")
        folder = tmp_path / "fs" / "user.slice" / "run"
        folder.mkdir(parents=True)
        (folder / "memory.events").write_text("low 0\nhigh 0\nmax 2\noom 2\noom_kill 2\n")
        (folder / "memory.max").write_text(f"{512 * 2**20}\n")
    else:
        proc_cgroup.write_text("5:cpu:/\n4:memory:/process_api/abc\n0::/\n")
        folder = tmp_path / "fs" / "memory" / "process_api" / "abc"
        folder.mkdir(parents=True)
        (folder / "memory.oom_control").write_text("oom_kill_disable 0\nunder_oom 0\noom_kill 7\n")
        (folder / "memory.limit_in_bytes").write_text(f"{256 * 2**20}\n")
    assert out_of_memory.oom_kills(tmp_path / "fs", proc_cgroup) == (2 if version == "v2" else 7)
    assert out_of_memory.memory_limit_bytes(tmp_path / "fs", proc_cgroup) == (512 if version == "v2" else 256) * 2**20


# --- what a run records of its machine: the child's own peak, no private paths ---------------------------------


def test_a_childs_peak_rss_is_its_own_not_the_parents(tmp_path, fake_workloads, quick_start):
    """ru_maxrss survives fork and exec: a child forked by a large parent reported the parent's RSS as its peak."""
    ballast = bytearray(400 * 2**20)  # zero-filled: every page resident in this (the parent) process
    parent_rss = current_rss_bytes()
    assert parent_rss > 400 * 2**20
    run = load_run(runner.execute(run_plan.start_run(request(tmp_path, ["unsupported"], frameworks=["torch"])),
                                  tmp_path))
    (sample,) = samples_of(run, "unsupported", "torch")
    assert sample.status == "ok" and sample.peak_host_rss_source == "child"
    assert 10 * 2**20 < sample.peak_host_rss_bytes < parent_rss - 300 * 2**20
    del ballast


def test_a_timed_out_childs_peak_is_the_sampled_one_and_says_so(tmp_path, fake_workloads, quick_start):
    run = load_run(runner.execute(run_plan.start_run(request(tmp_path, ["hangs"], frameworks=["tensorflow"],
                                                             timeout_seconds=3.0)), tmp_path))
    (sample,) = samples_of(run, "hangs", "tensorflow")
    assert sample.status == "timeout" and sample.peak_host_rss_source == "sampled"
    assert sample.peak_host_rss_bytes == max(b for _, b in sample.host_rss_timeline)


def test_home_and_checkout_paths_never_reach_a_result_file(tmp_path, fake_workloads, quick_start):
    home = str(Path.home())
    command = f"fwbench run --out {REPO_ROOT}/results --note {home}/notes.txt"
    run = load_run(runner.execute(run_plan.start_run(request(tmp_path, ["leaks_paths"], command=command)), tmp_path))
    assert run.command == "fwbench run --out <repo>/results --note ~/notes.txt"
    (leaked,) = samples_of(run, "leaks_paths", "tensorflow")
    assert leaked.status == "crashed"
    assert '"<repo>/benchmarks/harness/timing_child.py"' in leaked.stderr_tail and "~/private/data.bin" in leaked.stderr_tail
    assert "~/private/data.bin" in leaked.reason and "<repo>" in leaked.reason
    text = final_path(tmp_path, run.run_id).read_text()
    assert str(REPO_ROOT) not in text and f"{home}/" not in text


def test_redaction_replaces_whole_path_components_and_the_checkout_before_home():
    from benchmarks.harness.privacy import redact

    repo, home = Path("/home/al/src/fw"), Path("/home/al")
    text = "/home/al/src/fw/benchmarks/x.py /home/al/src/fwx /home/al/.cache /home/alice/z (/home/al)"
    assert redact(text, repo, home) == "<repo>/benchmarks/x.py ~/src/fwx ~/.cache /home/alice/z (~)"


def test_a_notebook_from_a_result_file_keeps_only_text_and_escaped_markdown():
    """The executed examples reach the site as notebooks stored in a run: their outputs and markdown are input."""
    from site_scripts.ease_of_use import notebook_pages

    payload = "<script>fwbenchXss(1)</script><img src=x onerror=fwbenchXss(2)>"
    notebook = {"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [
        {"cell_type": "markdown", "id": "m", "metadata": {}, "source": f"# Title {payload}"},
        {"cell_type": "raw", "id": "r", "metadata": {}, "source": payload},
        {"cell_type": "code", "id": "c", "metadata": {}, "execution_count": 1, "source": "print(1)", "outputs": [
            {"output_type": "stream", "name": "stdout", "text": "1\n"},
            {"output_type": "display_data", "metadata": {}, "data": {"text/html": payload, "text/plain": "shown"}},
            {"output_type": "display_data", "metadata": {}, "data": {"application/javascript": "fwbenchXss(3)"}},
            {"output_type": "execute_result", "execution_count": 1, "metadata": {},
             "data": {"image/svg+xml": f"<svg onload=fwbenchXss(4)>{payload}</svg>", "text/plain": "x"}},
        ]},
    ]}
    safe = notebook_pages.untrusted_notebook(notebook)
    text = json.dumps(safe)
    assert "<script" not in text and "<img" not in text and "<svg" not in text and "javascript" not in text
    markdown_cell, raw_cell, code_cell = safe["cells"]
    assert markdown_cell["source"].startswith("# Title &lt;script&gt;") and raw_cell["cell_type"] == "markdown"
    assert [o["output_type"] for o in code_cell["outputs"]] == ["stream", "display_data", "execute_result"]
    assert [o.get("data") for o in code_cell["outputs"][1:]] == [{"text/plain": "shown"}, {"text/plain": "x"}]
    assert notebook["cells"][0]["source"].startswith("# Title <script>"), "the stored notebook itself is untouched"


def test_a_notebook_whose_cells_break_the_schema_is_rebuilt_valid():
    """Cell types, ids, metadata and output fields from a result file are not trusted to match nbformat's schema
    either (the hostile-input build caught a cell type carrying a payload): the page's notebook is rebuilt valid."""
    import nbformat

    from site_scripts.ease_of_use import notebook_pages

    payload = "code\n</code></pre><script>fwbenchXss(5)</script>{{ fwbench.x }}[a](javascript:fwbenchXss(6))"
    notebook = {"nbformat": 4, "nbformat_minor": 5, "metadata": {"widgets": payload}, "cells": [
        {"cell_type": payload, "id": payload, "metadata": {}, "source": ["a ", payload]},
        {"cell_type": "code", "id": "bad id\n", "metadata": {"tags": ["raises-exception", 3, payload], "x": payload},
         "execution_count": payload, "source": "print(1)", "outputs": [
             {"output_type": "stream", "name": payload, "text": ["1", "\n"]},
             {"output_type": "error", "ename": 7, "evalue": None, "traceback": [payload, 1]},
             {"output_type": payload, "data": {"text/plain": "gone"}}, "not an output"]},
        "not a cell",
    ]}
    safe = notebook_pages.untrusted_notebook(notebook)
    nbformat.validate(nbformat.from_dict(safe))
    first, code, third = safe["cells"]
    assert first["cell_type"] == "markdown" and "&lt;script&gt;" in first["source"]
    assert "](javascript" not in first["source"] and "&#91;a&#93;(javascript" in first["source"]
    assert code["metadata"] == {"tags": ["raises-exception"]} and code["execution_count"] is None
    assert [o["output_type"] for o in code["outputs"]] == ["stream", "error"]
    assert code["outputs"][0] == {"output_type": "stream", "name": "stdout", "text": "1\n"}
    assert third["cell_type"] == "markdown" and third["source"] == ""
    assert payload not in json.dumps(safe["metadata"])
