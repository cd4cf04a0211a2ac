"""fwbench: measure (run), render the site from result files (build), serve it.

Bad input ends in one line on stderr and a non-zero exit, never a traceback:
argparse's two-line usage error is folded into one line too.
"""

from __future__ import annotations

import argparse
import json
import math
import shlex
import sys
from pathlib import Path

from rich.console import Console

from benchmarks import registry
from benchmarks.harness import child_process, out_dir_lock, run_plan, run_request, runner, shard_merge, stop_signals
from benchmarks.paths import REPO_ROOT
from benchmarks.presets import PRESETS
from contract.files import ResultFileError, complete_runs, load_run
from contract.schema import FRAMEWORKS
from fwbench.progress import ProgressReporter

DEFAULT_RESULTS = REPO_ROOT / "results"
DEFAULT_SITE = REPO_ROOT / "site"
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130


class UserError(Exception):
    """One line for the user; main() prints it and exits non-zero."""


class OneLineParser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


def _csv(text: str) -> list[str]:
    return [part.strip() for part in text.split(",") if part.strip()]


def _list_option(option: str, text: str) -> list[str]:
    """A comma-separated option: at least one value, none twice (`--only ,` would run nothing and call it complete)."""
    values = _csv(text)
    if not values:
        raise UserError(f"{option} {text!r}: names no value; give a comma-separated list (see fwbench list)")
    repeated = sorted({v for v in values if values.count(v) > 1})
    if repeated:
        raise UserError(f"{option}: {repeated[0]!r} is listed twice; name each value once")
    return values


def _studies(text: str | None) -> list[str] | None:
    """None keeps the preset's default studies; `none` runs none."""
    if text is None:
        return None
    return [] if text.strip() == "none" else _list_option("--studies", text)


def cmd_run(args: argparse.Namespace) -> int:
    out_dir = Path(args.out)
    console = Console(stderr=True)
    request = _run_request(args, out_dir)  # every option checked before anything is created or locked
    run = None
    try:
        # One run at a time per results folder, for the whole run; every catchable signal kills the children first.
        with out_dir_lock.holding(out_dir, "fwbench run") as describe_holder, \
                stop_signals.stopping_on_signals(child_process.kill_live_children):
            if request is None:
                run = runner.resumable_run(out_dir)
                console.print(f"resuming {run.run_id} (preset {run.settings.preset}, device {run.settings.device})")
            else:
                run = run_plan.start_run(request)
                console.print(
                    f"run {run.run_id}: preset {run.settings.preset}, device {run.settings.device}, "
                    f"{run.settings.threads} threads per framework, {len(run.cases)} cases × "
                    f"{run.settings.processes_per_case} processes; studies: {', '.join(run.settings.studies) or 'none'}"
                )
            describe_holder(f"fwbench run {run.run_id}")
            reporter = ProgressReporter(console)
            with reporter.progress:
                path = runner.execute(run, out_dir, reporter)
    except KeyboardInterrupt as exc:
        stopped = exc if isinstance(exc, stop_signals.Stopped) else None
        how = f"stopped by {stopped.name}" if stopped else "interrupted"
        code = stopped.exit_code if stopped else EXIT_INTERRUPTED
        if run is None:
            console.print(f"{how} before any process ran; nothing was written")
            return code
        console.print(
            f"{how}: finished processes are kept in {out_dir}/{run.run_id}.partial.json (the process that was "
            f"running is not); continue with `fwbench run --resume --out {out_dir}`"
        )
        return code
    except run_request.RunError as exc:
        raise UserError(str(exc)) from None
    except OSError as exc:
        kept = (f"; finished processes are kept in {out_dir}/{run.run_id}.partial.json, continue with "
                f"`fwbench run --resume --out {out_dir}`" if run is not None else "")
        raise UserError(f"{_os_error(exc)}{kept}") from None
    failed = sum(1 for case in run.cases for s in case.samples if s.status != "ok")
    console.print(f"wrote {path} ({len(run.cases)} cases, {failed} failed processes); {runner.quietness(run)}")
    # The one line on stdout (progress goes to stderr): `make site` reads it to show this run by default.
    print(run.run_id, flush=True)
    return 0


def _run_request(args: argparse.Namespace, out_dir: Path) -> run_request.RunRequest | None:
    """The new run the options ask for, checked; None for --resume (the run's recorded settings stand)."""
    if args.resume:
        explicit = [f"--{k}" for k in ("preset", "only", "frameworks", "device", "tasks", "modes", "precisions",
                                        "studies", "shard")
                    if getattr(args, k) is not None]
        if explicit:
            raise UserError(f"--resume continues a run with its recorded settings; drop {' '.join(explicit)}")
        return None
    return run_request.RunRequest(
        preset=args.preset or "quick",
        workloads=_list_option("--only", args.only) if args.only is not None else list(registry.workloads()),
        frameworks=_list_option("--frameworks", args.frameworks) if args.frameworks is not None else list(FRAMEWORKS),
        device=args.device or "auto",
        out_dir=out_dir,
        command=shlex.join(["fwbench", *args.argv]),
        timeout_seconds=args.timeout,
        processes_per_case=args.processes,
        tasks=_list_option("--tasks", args.tasks) if args.tasks is not None else None,
        modes=_list_option("--modes", args.modes) if args.modes is not None else None,
        precisions=_list_option("--precisions", args.precisions) if args.precisions is not None else None,
        calibrate=not args.skip_calibration,
        studies=_studies(args.studies),
        shard=args.shard,
    )


def _os_error(exc: OSError) -> str:
    """An OSError as one line: what failed, on which file."""
    where = f" ({exc.filename})" if getattr(exc, "filename", None) else ""
    return f"{exc.strerror or exc}{where}"


def cmd_build(args: argparse.Namespace) -> int:
    from site_scripts.site_build import SiteBuildError, build_site

    results_dir, site_dir = Path(args.results), Path(args.site_dir)
    if not results_dir.is_dir():
        raise UserError(f"results folder {results_dir} does not exist: run `fwbench run` first or pass --results")
    run_ids = []
    for path in complete_runs(results_dir):
        try:
            run_ids.append(load_run(path).run_id)  # every file: a broken file is reported before mkdocs runs
        except ResultFileError as exc:
            raise UserError(f"{exc}; fix or remove it") from None
    if not run_ids:
        raise UserError(f"no result files in {results_dir}: run `fwbench run` first")
    if args.default_run not in (None, "newest", *run_ids):
        raise UserError(f"--default-run {args.default_run}: no finished run with that id in {results_dir}; "
                        "give a run id (`fwbench run` prints it) or `newest`")
    if args.site_url is not None and not args.site_url.startswith(("http://", "https://")):
        raise UserError(f"--site-url {args.site_url}: give the full address, starting with https:// or http://")
    try:
        build_site(results_dir, site_dir, default_run=args.default_run, site_url=args.site_url)
    except SiteBuildError as exc:
        raise UserError(f"site build failed: {exc}") from None
    print(f"built {site_dir} from {len(run_ids)} runs in {results_dir}; serve it with `make serve` or "
          f"`{Path(sys.executable).parent / 'fwbench'} serve --site-dir {site_dir}`, then open "
          "http://127.0.0.1:8000/ (it works offline)")
    print(shown_line(site_dir))
    return 0


def shown_line(site_dir: Path) -> str:
    """The last line of a build: the run the pages show by default, read from what the build recorded."""
    from site_scripts.site_build import BUILD_RECORD

    record = json.loads((site_dir / BUILD_RECORD).read_text(encoding="utf-8"))
    pages = record["pages"]
    if not pages:
        return "no page has a run selector"
    by_run: dict[tuple[str, str], list[str]] = {}
    for src, page in pages.items():
        by_run.setdefault((page["shows"], page["rule"]), []).append(src.removesuffix(".md").replace("index", "home"))
    requested = record["requested_default_run"]
    if requested is not None:
        others = {key: names for key, names in by_run.items() if key != (requested, "requested")}
        line = f"every page with a run selector shows run {requested} by default (asked for by --default-run)"
        if (requested, "requested") not in by_run:
            line = f"no page shows run {requested}: it has nothing for any page with a run selector"
        if others:
            line += "; except, by the reference rule (that run has nothing for them): " + "; ".join(
                f"{', '.join(names)}: {run_id}" for (run_id, _), names in sorted(others.items()))
        return line
    return "the pages show by default the reference rule's run: " + "; ".join(
        f"{', '.join(names)}: {run_id}" for (run_id, _), names in sorted(by_run.items()))


def cmd_merge(args: argparse.Namespace) -> int:
    try:
        with out_dir_lock.holding(Path(args.out), "fwbench merge"):
            path = shard_merge.merge_shard_files([Path(p) for p in args.shards], Path(args.out),
                                                 shlex.join(["fwbench", *args.argv]))
    except run_request.RunError as exc:
        raise UserError(str(exc)) from None
    print(f"merged {len(args.shards)} shards into {path}")
    return 0


def cmd_validate(args: argparse.Namespace) -> int:
    """Each result file read as the site reads it (upgrade, schema, bounds, study payloads): one line per file."""
    paths = [Path(p) for p in args.files]
    for folder in [p for p in paths if p.is_dir()]:
        paths.remove(folder)
        paths += complete_runs(folder)
    if not paths:
        raise UserError("no result files to validate: give files or a results folder")
    failed = 0
    for path in paths:
        try:
            run = load_run(path)
        except ResultFileError as exc:
            failed += 1
            print(f"refused: {exc}", file=sys.stderr)
            continue
        if path.name not in (f"{run.run_id}.json", f"{run.run_id}.partial.json"):
            failed += 1
            print(f"refused: {path}: holds run {run.run_id}; a result file is named after its run id", file=sys.stderr)
            continue
        print(f"ok: {path} (run {run.run_id}, schema {run.schema_version} after upgrades)")
    if failed:
        raise UserError(f"{failed} of {len(paths)} result files refused (see above); fix or remove them")
    return 0


def cmd_release(args: argparse.Namespace) -> int:
    from fwbench.release import ReleaseError, release

    versions = {k: v for k, v in (("torch", args.torch), ("tensorflow", args.tensorflow)) if v}
    run_args = args.run_args[1:] if args.run_args[:1] == ["--"] else args.run_args
    try:
        target = release(versions, preset=args.preset, env_dir=Path(args.env), constraints=Path(args.constraints),
                         keep_constraints=args.keep_constraints, results=Path(args.results),
                         site_dir=Path(args.site_dir), run_args=run_args)
    except ReleaseError as exc:
        raise UserError(str(exc)) from None
    print(f"done: pins in {target}; the new run is in {args.results} beside the old ones; site in {args.site_dir}")
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    from site_scripts.site_build import serve_site

    site_dir = Path(args.site_dir)
    if not (site_dir / "index.html").is_file():
        raise UserError(f"no built site in {site_dir}: run `fwbench build` first")
    try:
        serve_site(site_dir, host=args.host, port=args.port)
    except OSError as exc:
        raise UserError(f"cannot serve on {args.host}:{args.port}: {exc.strerror}; pick another --port") from None
    except KeyboardInterrupt:
        return 0
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    for name, workload in registry.workloads().items():
        print(f"{name}: {workload.title} (presets: {', '.join(workload.presets)})")
    for name, preset in PRESETS.items():
        print(f"preset {name}: {preset.purpose}; {preset.processes_per_case} processes per case")
    for name, study in registry.studies().items():
        print(f"study {name}: {study.title} (by default in presets {', '.join(study.default_presets)} "
              f"on {', '.join(study.default_devices)})")
    return 0


def _port(text: str) -> int:
    try:
        port = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port number") from None
    if not 1 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"{port} is not a port: give one from 1 to 65535")
    return port


def build_parser() -> argparse.ArgumentParser:
    parser = OneLineParser(prog="fwbench", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True, parser_class=OneLineParser)

    run = commands.add_parser("run", help="measure: one fresh process per case and repeat, results to JSON",
                              description="Run the benchmarks and write one result file per run.")
    run.add_argument("--preset", choices=list(PRESETS), help="sizes and repeats (default: quick)")
    run.add_argument("--only", metavar="WORKLOAD[,WORKLOAD]", help="run only these workloads (default: all)")
    run.add_argument("--frameworks", metavar="LIST", help=f"comma-separated (default: {','.join(FRAMEWORKS)})")
    run.add_argument("--device", choices=["auto", "cpu", "cuda"], help="auto uses a CUDA GPU when one is visible (default)")
    run.add_argument("--out", default=str(DEFAULT_RESULTS), help="results folder (default: results/)")
    run.add_argument("--tasks", metavar="LIST", help="only these tasks: train,infer, or none for studies only (default: both)")
    run.add_argument("--modes", metavar="LIST", help="only these modes, e.g. eager,function (default: all)")
    run.add_argument("--precisions", metavar="LIST", help="only these precisions: fp32,bf16,fp16 (default: all)")
    run.add_argument("--studies", metavar="LIST",
                     help="studies to run, or none (default: those the preset and device run; see `fwbench list`)")
    run.add_argument("--shard", metavar="K/N",
                     help="run only part K of N of the plan (whole comparison groups; merge with `fwbench merge`)")
    run.add_argument("--skip-calibration", action="store_true",
                     help="skip peak matmul, FLOP counting and the equivalence proof (faster; pages then lack them)")
    run.add_argument("--resume", action="store_true", help="continue the newest unfinished run in --out")
    run.add_argument("--timeout", type=float, metavar="SECONDS", help="per-process timeout (default: the preset's)")
    run.add_argument("--processes", type=int, metavar="N", help="fresh processes per case (default: the preset's)")
    run.set_defaults(handler=cmd_run)

    for name, help_text in (("build", "build the site from the result files already there (never runs a benchmark)"),
                            ("render", "same as build")):
        build = commands.add_parser(name, help=help_text, description=help_text)
        build.add_argument("--results", default=str(DEFAULT_RESULTS), help="results folder (default: results/)")
        build.add_argument("--site-dir", default=str(DEFAULT_SITE), help="output folder (default: site/)")
        build.add_argument("--default-run", metavar="RUN_ID|newest",
                           help="show this run by default on every page it has something for (make site passes "
                                "the run it just measured); default: the reference rule (a reference-preset run, "
                                "the fastest hardware, the newest releases)")
        build.add_argument("--site-url", metavar="URL",
                           help="where the site is published (full permalinks in citations; default: "
                                "$FWBENCH_SITE_URL, else mkdocs.yml's site_url)")
        build.set_defaults(handler=cmd_build)

    merge = commands.add_parser("merge", help="merge the shard files of one sharded run into one run file",
                                description="Merge shard files (fwbench run --shard K/N) into one run; refused "
                                            "unless they share settings, code, framework versions and hardware.")
    merge.add_argument("shards", nargs="+", metavar="SHARD.json")
    merge.add_argument("--out", default=str(DEFAULT_RESULTS), help="folder for the merged file (default: results/)")
    merge.set_defaults(handler=cmd_merge)

    validate = commands.add_parser(
        "validate", help="check result files as the site reads them (what a pull request's files must pass)",
        description="Read each result file as `fwbench build` does (upgrades, schema, bounds, study payloads) and say "
                    "which are refused and why, one line each.")
    validate.add_argument("files", nargs="+", metavar="FILE|FOLDER", help="result files, or folders of them")
    validate.set_defaults(handler=cmd_validate)

    release = commands.add_parser(
        "release", help="after a framework release: bump pins, fresh environment, run a preset, build the site",
        description="Bump the framework pins, create a fresh environment from them, run the preset with it and "
                    "build the site; arguments after -- go to `fwbench run`.")
    release.add_argument("--torch", default="", help="torch version to pin")
    release.add_argument("--tensorflow", default="", help="tensorflow(-cpu) version to pin")
    release.add_argument("--preset", default="full", choices=list(PRESETS), help="preset to run (default: full)")
    release.add_argument("--env", default=str(REPO_ROOT / ".venv-release"), help="the fresh environment's folder")
    release.add_argument("--constraints", default=str(REPO_ROOT / "constraints.txt"))
    release.add_argument("--keep-constraints", action="store_true",
                         help="leave constraints.txt as it is; bump a copy inside the new environment (e.g. to "
                              "measure an older release beside the current pins)")
    release.add_argument("--results", default=str(DEFAULT_RESULTS))
    release.add_argument("--site-dir", default=str(DEFAULT_SITE))
    release.add_argument("run_args", nargs=argparse.REMAINDER, help="-- then options for fwbench run")
    release.set_defaults(handler=cmd_release)

    serve = commands.add_parser("serve", help="serve the built site on 127.0.0.1", description="Serve the built site.")
    serve.add_argument("--site-dir", default=str(DEFAULT_SITE))
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=_port, default=8000, help="a TCP port, 1 to 65535 (default: 8000)")
    serve.set_defaults(handler=cmd_serve)

    listing = commands.add_parser("list", help="list workloads and presets", description="List workloads and presets.")
    listing.set_defaults(handler=cmd_list)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    args = build_parser().parse_args(argv)
    args.argv = argv
    if getattr(args, "processes", None) is not None and args.processes < 1:
        print("fwbench: error: --processes must be at least 1", file=sys.stderr)
        return EXIT_USAGE
    # nan would switch the timeout off (every comparison with it is false) and be written as null; inf never fires.
    if getattr(args, "timeout", None) is not None and not (math.isfinite(args.timeout) and args.timeout > 0):
        print("fwbench: error: --timeout must be a positive, finite number of seconds", file=sys.stderr)
        return EXIT_USAGE
    try:
        return args.handler(args)
    except UserError as exc:
        print(f"fwbench: error: {exc}", file=sys.stderr)
        return 1
    except OSError as exc:  # the machine, not the code: a full or read-only disk, a folder that is a file
        print(f"fwbench: error: {_os_error(exc)}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
