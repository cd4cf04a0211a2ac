#!/usr/bin/env bash
# The prepared device command of issue 18: one call on the H200 machine (under 8 minutes) that
#   1. installs the carried wheels (.whl/, listed with their sha256 in tools/gpu_wheels.txt) into /tmp/site,
#   2. prints nvidia-smi and the versions that matter, and checks that torch sees the GPU,
#   3. runs the CUDA tests (tests/test_cuda.py)                                   [stage "tests"],
#   4. runs `fwbench run --preset gpu --frameworks torch` on a slice sized to fit  [stage "cases"],
#   5. runs the max_batch study with the time left, if at least 60 s              [stage "studies"],
# writing the run JSON files to $OUT/results, the log to $OUT/gpu_run.log and the test report to
# $OUT/pytest_cuda.xml. Every stage ends inside FWBENCH_GPU_BUDGET_S: a run still going at its deadline
# gets SIGINT, so fwbench kills its measuring child and keeps the finished processes in
# $OUT/results/<run id>.partial.json.
#
# On the device, one call (the script stops itself at FWBENCH_GPU_BUDGET_S = 450 s, inside the call's limit):
#   run(command="bash tools/gpu_run.sh", carry=[".whl"], timeout_s=480)
# CPU rehearsal here (quick preset, --device cpu, wheels checked but not installed, OUT=/tmp/gpu_dry_out):
#   PATH=$PWD/.venv/bin:$PATH FWBENCH_GPU_DRY_RUN=1 bash tools/gpu_run.sh
# Fill .whl/ here from tools/gpu_wheels.txt (needs PyPI, so never on the device):
#   PATH=$PWD/.venv/bin:$PATH bash tools/gpu_run.sh --fetch-wheels
#
# Knobs (environment):
#   FWBENCH_GPU_DRY_RUN=1          CPU rehearsal: --preset quick --device cpu; the CUDA test may skip
#   FWBENCH_PYTHON                 interpreter (default python3: on the H200 the one that holds torch)
#   FWBENCH_GPU_STAGES             which of tests,cases,studies to run (default all three)
#   FWBENCH_GPU_BUDGET_S           the whole script, seconds (default 450; keep the call's timeout_s above it)
#   FWBENCH_GPU_TEST_BUDGET_S      the CUDA tests at most (default 240)
#   FWBENCH_GPU_FRAMEWORKS         default torch,tensorflow: the device has no TensorFlow, and the run records its
#                                  half as "not measured" with the reason (settings.frameworks_not_installed)
#   FWBENCH_GPU_CASE_ARGS          `fwbench run` options of the case run, other than preset, device, frameworks
#   FWBENCH_GPU_STUDY_ARGS         the same for the study run
#   FWBENCH_GPU_STUDY_MIN_S        start the study run only with this much time left (default 60)
#   FWBENCH_GPU_INSTALL_WHEELS=0|1 default 1 on the device, 0 in a dry run
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
WHEEL_LIST=$ROOT/tools/gpu_wheels.txt
WHEEL_DIR=$ROOT/.whl
PY=${FWBENCH_PYTHON:-python3}
DRY=${FWBENCH_GPU_DRY_RUN:-0}
# `fwbench` is not installed on the device: the CLI runs from the checkout as `python -m PACKAGE`
# (fwbench/ since the issue-13 refactor, site_scripts/ before it).
if [[ -f $ROOT/fwbench/__main__.py ]]; then CLI=fwbench; else CLI=site_scripts; fi

die() { echo "gpu_run: error: $*" >&2; exit 2; }
# Runs "$@" with SIGINT at its default, so that timeout's SIGINT reaches Python as KeyboardInterrupt
# (fwbench then kills its measuring child and keeps the .partial.json) even where this script was
# started with SIGINT ignored, as commands started in the background are; bash cannot undo that itself.
with_sigint() { "$PY" -c 'import os, signal, sys; signal.signal(signal.SIGINT, signal.SIG_DFL); os.execvp(sys.argv[1], sys.argv[1:])' "$@"; }

# Wheel list lines are "sha256  filename"; '#' lines are comments.
wheel_lines() { grep -Ev '^[[:space:]]*(#|$)' "$WHEEL_LIST"; }

check_wheels() {
  [[ -f $WHEEL_LIST ]] || die "$WHEEL_LIST is missing"
  [[ -d $WHEEL_DIR ]] || die "no .whl/ folder: fill it with 'bash tools/gpu_run.sh --fetch-wheels' and carry it (carry=[\".whl\"])"
  (cd "$WHEEL_DIR" && wheel_lines | sha256sum --check --quiet --strict -) \
    || die ".whl/ does not hold the wheels of tools/gpu_wheels.txt (refetch with --fetch-wheels)"
  local listed present
  listed=$(wheel_lines | wc -l)
  present=$(find "$WHEEL_DIR" -maxdepth 1 -type f -name '*.whl' | wc -l)
  [[ $listed == "$present" ]] || die ".whl/ holds $present wheels but tools/gpu_wheels.txt lists $listed: remove the extra ones (two versions of one package stop pip)"
}

if [[ ${1:-} == --fetch-wheels ]]; then
  # Names and versions come from the listed file names: NAME-VERSION-TAGS.whl.
  mkdir -p "$WHEEL_DIR"
  mapfile -t specs < <(wheel_lines | awk '{print $2}' | awk -F- '{print $1"=="$2}')
  "$PY" -m pip download --no-deps --only-binary=:all: --python-version 3.12 --implementation cp \
    --platform manylinux_2_28_x86_64 --platform manylinux_2_27_x86_64 --platform manylinux_2_17_x86_64 \
    --platform manylinux2014_x86_64 --platform manylinux1_x86_64 -d "$WHEEL_DIR" "${specs[@]}"
  check_wheels
  echo "gpu_run: .whl/ holds the $(wheel_lines | wc -l) wheels of tools/gpu_wheels.txt ($(du -cb "$WHEEL_DIR"/*.whl | tail -1 | cut -f1) bytes)"
  exit 0
fi
[[ $# == 0 ]] || die "unknown argument '$1' (only --fetch-wheels; everything else is set by environment variables)"

if [[ $DRY == 1 ]]; then
  OUT=${OUT:-/tmp/gpu_dry_out}
else
  [[ -n ${OUT:-} ]] || die "OUT is unset: on the device the run tool sets it; for a CPU rehearsal set FWBENCH_GPU_DRY_RUN=1"
fi
export OUT
mkdir -p "$OUT"

# Everything below goes to the terminal and to $OUT/gpu_run.log; the pipeline ends only when tee has written it all.
if [[ -z ${_FWBENCH_GPU_LOGGING:-} ]]; then
  rm -rf "$OUT/results" "$OUT/gpu_run.log" "$OUT/pytest_cuda.xml"  # only this script's own outputs
  set +e
  _FWBENCH_GPU_LOGGING=1 PYTHONUNBUFFERED=1 COLUMNS=${COLUMNS:-160} bash "$ROOT/tools/gpu_run.sh" 2>&1 | tee "$OUT/gpu_run.log"
  status=${PIPESTATUS[0]}
  exit "$status"
fi

BUDGET=${FWBENCH_GPU_BUDGET_S:-450}
TEST_BUDGET=${FWBENCH_GPU_TEST_BUDGET_S:-240}
STUDY_MIN=${FWBENCH_GPU_STUDY_MIN_S:-60}
FRAMEWORKS=${FWBENCH_GPU_FRAMEWORKS:-torch,tensorflow}  # no TensorFlow there: its half is recorded as not measured
STAGES=,${FWBENCH_GPU_STAGES:-tests,cases,studies},
for s in ${STAGES//,/ }; do [[ $s == @(tests|cases|studies) ]] || die "FWBENCH_GPU_STAGES: unknown stage '$s' (tests, cases, studies)"; done
RESERVE=25  # seconds kept after the runs for the listing and the summary
if [[ $DRY == 1 ]]; then
  SIZE_ARGS=(--preset quick --device cpu)
  INSTALL=${FWBENCH_GPU_INSTALL_WHEELS:-0}
else
  SIZE_ARGS=(--preset gpu --device cuda)
  INSTALL=${FWBENCH_GPU_INSTALL_WHEELS:-1}
fi
# The slice of the gpu preset that fits beside the CUDA test: the MLP and BERT-base, eager and torch.compile,
# fp32, bf16 and fp16, training with the batch sweep and inference, one process per case, with calibration
# (the matmul peak, the FLOP check, call overheads). A hung process costs 150 s, not the preset's 1200. TensorFlow
# is requested too, so its half is recorded as not measured. The dry run takes the same options at quick sizes.
read -r -a CASE_ARGS <<< "${FWBENCH_GPU_CASE_ARGS---only mlp,transformer --modes eager,compile --precisions fp32,bf16,fp16 --processes 1 --timeout 150 --studies none}"
read -r -a STUDY_ARGS <<< "${FWBENCH_GPU_STUDY_ARGS---only transformer --tasks none --studies max_batch}"

STARTED=$SECONDS
elapsed() { echo $((SECONDS - STARTED)); }
left() { echo $((BUDGET - (SECONDS - STARTED))); }
stage() { echo; echo "=== [$(elapsed) s] $*"; }
declare -a SUMMARY=()
note() { SUMMARY+=("$1"); }
FAILED=0

stage "gpu_run: $([[ $DRY == 1 ]] && echo 'CPU DRY RUN' || echo 'device run'), stages ${STAGES:1:-1}, budget ${BUDGET} s, OUT=$OUT, $(date -u +%FT%TZ)"
echo "repo: $ROOT ($(git rev-parse --short HEAD 2>/dev/null || echo 'no git checkout here')); CLI: python -m $CLI"
echo "python: $(command -v "$PY") ($("$PY" -c 'import sys; print(sys.version.split()[0])'))"

stage "wheels"
check_wheels
du -b "$WHEEL_DIR"/*.whl
if [[ $INSTALL == 1 ]]; then
  "$PY" -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --upgrade --target /tmp/site "$WHEEL_DIR"/*.whl
  export PYTHONPATH=/tmp/site${PYTHONPATH:+:$PYTHONPATH}
  echo "installed into /tmp/site; PYTHONPATH=$PYTHONPATH"
else
  # Rehearse the install as the device's Python 3.12 takes it, into a throwaway folder on no path.
  rehearsal=$(mktemp -d /tmp/gpu_run_site.XXXXXX)
  "$PY" -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --upgrade --target "$rehearsal" \
    --python-version 3.12 --implementation cp --platform manylinux_2_17_x86_64 --only-binary=:all: "$WHEEL_DIR"/*.whl
  echo "not installed (dry run); as cp312 manylinux the set installs: $(ls "$rehearsal" | grep -c dist-info) distributions"
  rm -rf "$rehearsal"
fi

stage "machine"
if command -v nvidia-smi >/dev/null; then
  nvidia-smi || true
  nvidia-smi --query-gpu=name,memory.total,driver_version,clocks.max.sm --format=csv || true
else
  echo "nvidia-smi: not on PATH"
  [[ $DRY == 1 ]] || die "nvidia-smi is missing on a device run"
fi
echo "cpus: $(nproc); MemTotal now: $(awk '/^MemTotal/{printf "%.0f GiB", $2 / 2^20}' /proc/meminfo)"
# The parent's import chain of `fwbench run` (this also reads torch from disk once, before anything is timed),
# the versions that matter, and the GPU as torch sees it.
"$PY" - "$DRY" "$CLI" <<'EOF'
import importlib, sys
from importlib import metadata
importlib.import_module(f"{sys.argv[2]}.cli")
for name in ("torch", "numpy", "scipy", "psutil", "rich", "pydantic", "pydantic_core", "typing_extensions",
             "pytest", "tensorflow"):
    try:
        print(f"{name} {metadata.version(name)}")
    except metadata.PackageNotFoundError:
        print(f"{name}: not installed")
import torch
print(f"torch cuda {torch.version.cuda}, cudnn {torch.backends.cudnn.version()}, "
      f"cuda available: {torch.cuda.is_available()}")
if torch.cuda.is_available():
    props = torch.cuda.get_device_properties(0)
    print(f"gpu 0: {props.name}, {props.total_memory / 2**30:.1f} GiB, {props.multi_processor_count} SMs")
elif sys.argv[1] != "1":
    sys.exit("gpu_run: error: torch sees no CUDA GPU on a device run")
EOF

if [[ $STAGES == *,tests,* ]]; then
  stage "tests: tests/test_cuda.py (at most ${TEST_BUDGET} s)"
  set +e
  PYTEST_DISABLE_PLUGIN_AUTOLOAD=1 with_sigint timeout -s INT -k 20 "$TEST_BUDGET" \
    "$PY" -m pytest tests/test_cuda.py -q -p no:cacheprovider --junitxml "$OUT/pytest_cuda.xml"
  rc=$?
  set -e
  # A device run needs the test to have run and passed, not skipped; a CPU dry run expects the skip.
  verdict=$("$PY" - "$OUT/pytest_cuda.xml" "$DRY" "$rc" <<'EOF'
import sys
import xml.etree.ElementTree as ET
path, dry, rc = sys.argv[1], sys.argv[2] == "1", int(sys.argv[3])
try:
    root = ET.parse(path).getroot()
except (OSError, ET.ParseError):
    print(f"FAILED: no test report (pytest exit {rc}{', cut at its deadline' if rc == 124 else ''})")
    sys.exit()
suite = root if root.tag == "testsuite" else root.find("testsuite")
n = {k: int(suite.get(k, 0)) for k in ("tests", "failures", "errors", "skipped")}
passed = n["tests"] - n["failures"] - n["errors"] - n["skipped"]
counts = (f"{passed} passed, {n['failures']} failed, {n['errors']} errors, {n['skipped']} skipped "
          f"in {float(suite.get('time', 0)):.0f} s")
ok = rc == 0 and n["failures"] == n["errors"] == 0 and n["tests"] > 0 and (dry or n["skipped"] == 0)
why = "" if ok else f" (pytest exit {rc}{': cut at its deadline' if rc == 124 else ''})"
print(("ok: " if ok else "FAILED: ") + counts + why)
EOF
  )
  echo "tests: $verdict"
  note "tests: $verdict"
  [[ $verdict == ok:* ]] || FAILED=1
fi

run_fwbench() {  # label, deadline in seconds, options...
  local label=$1 limit=$2; shift 2
  stage "$label: python -m $CLI run $* --out $OUT/results (at most ${limit} s)"
  set +e
  with_sigint timeout -s INT -k 30 "$limit" "$PY" -m "$CLI" run "$@" --out "$OUT/results"
  local rc=$?
  set -e
  case $rc in
    0) note "$label: complete" ;;
    124) note "$label: CUT at its ${limit} s deadline (its finished processes are in the .partial.json)" ;;
    *) note "$label: FAILED (exit $rc)" ;;
  esac
  return $rc
}

if [[ $STAGES == *,cases,* ]]; then
  limit=$(( $(left) - RESERVE ))
  if (( limit < 30 )); then
    note "case run: NOT STARTED (${limit} s left)"
    FAILED=1
  else
    run_fwbench "case run" "$limit" "${SIZE_ARGS[@]}" --frameworks "$FRAMEWORKS" "${CASE_ARGS[@]}" || FAILED=1
  fi
fi

if [[ $STAGES == *,studies,* ]]; then
  limit=$(( $(left) - RESERVE ))
  if (( limit < STUDY_MIN )); then
    note "study run: not started (${limit} s left, it starts with ${STUDY_MIN} s)"
  else
    # It takes what is left: a cut here is reported, and is no failure of the call.
    run_fwbench "study run" "$limit" "${SIZE_ARGS[@]}" --frameworks "$FRAMEWORKS" "${STUDY_ARGS[@]}" || true
  fi
fi

stage "what the run files hold (wall seconds per process: what the next call is sized from)"
set +e
"$PY" - "$OUT/results" <<'EOF'
import json, statistics, sys
from pathlib import Path
not_ok = 0
for path in sorted(Path(sys.argv[1]).glob("*.json")):
    run = json.loads(path.read_text())
    s = run["settings"]
    samples = [x for c in run["cases"] for x in c["samples"]]
    walls = [x["wall_seconds"] for x in samples] + [r.get("wall_seconds") or 0 for r in run.get("studies", [])]
    print(f"{path.name}: {run['status']}, preset {s['preset']}, device {s['device']}, {len(run['cases'])} cases, "
          f"{len(samples)} processes, {len(run.get('studies', []))} study records, {sum(walls):.0f} s in children")
    for c in run["cases"]:
        not_ok += sum(x["status"] != "ok" for x in c["samples"])
        for x in c["samples"]:
            steps = x.get("step_seconds") or []
            median = f"{statistics.median(steps) * 1e3:.2f} ms/step" if steps else "-"
            memory = x.get("device_peak_memory_bytes")
            print(f"  {c['case_id']} #{x['repeat_index'] + 1}: {x['status']}, wall {x['wall_seconds']:.1f} s, "
                  f"first {x.get('first_step_seconds') or 0:.2f} s, {median}"
                  + (f", device peak {memory / 2**30:.2f} GiB" if memory else "")
                  + (f" ({x['reason']})" if x.get("reason") else ""))
        if not c["samples"]:
            print(f"  {c['case_id']}: not run")
    for r in run.get("studies", []):
        d = r.get("data") or {}
        extra = (f", largest fitting {d.get('largest_fitting')}, {len(d.get('attempts', []))} attempts, "
                 f"stopped: {d.get('stopped_because')}") if "attempts" in d else ""
        print(f"  {r['record_id']}: {r['status']}, wall {r.get('wall_seconds') or 0:.1f} s{extra}"
              + (f" ({r['reason']})" if r.get("reason") else ""))
if not_ok:
    print(f"{not_ok} measuring processes did not end ok (reasons above; their stderr tails are in the JSON)")
sys.exit(3 if not_ok else 0)
EOF
rc=$?
set -e
case $rc in
  0) ;;
  3) note "case processes: some did not end ok (see the listing above)"; FAILED=1 ;;
  *) note "listing the run files failed (exit $rc)"; FAILED=1 ;;
esac

stage "summary after $(elapsed) s"
printf '%s\n' "${SUMMARY[@]}"
ls -laR "$OUT"
if (( FAILED )); then
  echo "gpu_run: FAILED (see above)"
  exit 1
fi
echo "gpu_run: ok"
