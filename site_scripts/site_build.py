"""Build the static site from a results directory, and serve a built site locally.

The build runs MkDocs in a subprocess, exactly as a person would on the command line,
so the CLI, CI and the tests all exercise the same strict build; a failure comes back
as one line, the one MkDocs printed that says what went wrong.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from site_scripts.paths import MKDOCS_CONFIG

RESULTS_DIR_ENV = "FWBENCH_RESULTS_DIR"


class SiteBuildError(Exception):
    """The site could not be built; the message is one line meant for the user."""


DEFAULT_RUN_ENV = "FWBENCH_DEFAULT_RUN"  # = site_scripts.chrome.run_selector.DEFAULT_RUN_ENV
SITE_URL_ENV = "FWBENCH_SITE_URL"  # = site_scripts.chrome.citation.SITE_URL_ENV
# What a build shows (per page: the default run and the rule that picked it), written into the site by the hook.
BUILD_RECORD = "fwbench-build.json"


def build_site(results_dir: Path, site_dir: Path, *, config_file: Path = MKDOCS_CONFIG,
               default_run: str | None = None, site_url: str | None = None) -> None:
    """Strict MkDocs build of `config_file` into `site_dir` from the runs in `results_dir`.

    `default_run` (a run id, or `newest`) is the run every page shows by default where it has something for
    the page; without it (a published build) each page takes the reference rule's run. `site_url` makes the
    citations' permalinks full URLs. Unset, the environment's values (if any) stand.
    """
    env = {
        **os.environ,
        RESULTS_DIR_ENV: str(Path(results_dir).resolve()),
        # mkdocs-material prints a multi-line banner about its successor on every build.
        "NO_MKDOCS_2_WARNING": "1",
    }
    if default_run is not None:
        env[DEFAULT_RUN_ENV] = default_run
    if site_url is not None:
        env[SITE_URL_ENV] = site_url
    # Not --quiet: it lowers MkDocs's log level below WARNING, and strict mode counts only the warnings it logs,
    # so a quiet strict build publishes dead links and missing anchors (mkdocs/mkdocs#4126, open; nor -v, which
    # skips the anchor check: #3991). The output is captured either way.
    command = [
        sys.executable, "-m", "mkdocs", "build", "--strict",
        "-f", str(Path(config_file).resolve()), "-d", str(Path(site_dir).resolve()),
    ]
    completed = subprocess.run(
        command, cwd=Path(config_file).resolve().parent, env=env, capture_output=True, text=True, check=False
    )
    if completed.returncode != 0:
        raise SiteBuildError(most_useful_error_line(completed.stderr + "\n" + completed.stdout))


# How mkdocs-jupyter's error starts when a notebook cell raised while the build executed it; the exception itself
# is the last line of the traceback that follows (in terminal colours).
CELL_FAILED = "An error occurred while executing the following cell:"
_EXCEPTION_LINE = re.compile(r"^[A-Za-z_][\w.]*(?:Error|Exception|Interrupt|Exit)\b.*")
_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


def most_useful_error_line(output: str) -> str:
    """The first ERROR line, else the first 'Error:' line, else the first WARNING (strict mode aborts on those).
    A notebook that failed while the build executed it gets the exception its cell raised appended."""
    lines = [_ANSI.sub("", line).strip() for line in output.splitlines() if line.strip()]
    for prefixes in (("ERROR",), ("Error", "error:"), ("WARNING",)):
        for index, line in enumerate(lines):
            if line.startswith(prefixes):
                message = _strip_log_prefix(line)
                following = lines[index + 1] if index + 1 < len(lines) else ""
                if message.endswith(":") and following.startswith(prefixes):
                    # MkDocs says where ("Error reading page 'x.md':") on one line and what on the next.
                    message = f"{message} {_strip_log_prefix(following)}"
                if message.endswith(CELL_FAILED):
                    raised = next((other for other in reversed(lines) if _EXCEPTION_LINE.match(other)), "see the log")
                    message = f"{message.removesuffix(CELL_FAILED)}a notebook cell raised {raised}"
                return message
    return lines[-1] if lines else "mkdocs build failed without output"


def _strip_log_prefix(line: str) -> str:
    """'ERROR    -  message' -> 'message'; other lines unchanged."""
    level, separator, message = line.partition(" -  ")
    return message.strip() if separator and level.strip() in {"ERROR", "WARNING"} else line


def serve_site(site_dir: Path, host: str = "127.0.0.1", port: int = 8000) -> None:
    """Serve an already built site as static files until Ctrl-C: what a visitor gets, no rebuilds."""
    site_dir = Path(site_dir)
    if not (site_dir / "index.html").is_file():
        raise SiteBuildError(f"{site_dir} holds no built site (no index.html): build the site first")
    handler = partial(SimpleHTTPRequestHandler, directory=str(site_dir))
    with ThreadingHTTPServer((host, port), handler) as server:
        print(f"Serving {site_dir} at http://{host}:{server.server_address[1]}/ (Ctrl-C stops)", flush=True)
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass
