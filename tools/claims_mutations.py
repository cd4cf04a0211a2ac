"""Mutation check of the claims checker: break one rule at a time and require a test to fail.

Each mutation replaces one exact snippet of site_scripts/claims/ (the script refuses a snippet it
cannot find exactly once, so a refactor cannot silently turn a mutation into a no-op), in a copy of
the checkout, and runs the claims tests there. A mutation that leaves every test green "survived":
the tests would not notice that rule breaking. Run from the repository root:

    python tools/claims_mutations.py            # every mutation; exit 1 if any survived
    python tools/claims_mutations.py --list     # what each mutation breaks

The first nine are the ones issue 15 found surviving the old tests.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHECKS = "site_scripts/claims/checks.py"
VERDICTS = "site_scripts/claims/verdicts.py"
EVALUATE = "site_scripts/claims/evaluate.py"
TESTS = ["tests/test_claims.py", "tests/test_claims_golden.py"]
COPIED = ["site_scripts", "contract", "tests", "docs", "results", "benchmarks", "fwbench", "mkdocs.yml",
          "pyproject.toml", "README.md", "constraints.txt"]


@dataclass(frozen=True)
class Mutation:
    name: str
    what: str
    path: str
    old: str
    new: str


MUTATIONS = (
    Mutation("median-not-interval", "decide a speed row on the median ratio, ignoring its interval", CHECKS,
             "    outcome = outcome_of(low, high)\n", "    outcome = outcome_of(ratio, ratio)\n"),
    Mutation("no-task-filter", "drop the task filter of the claim's scope", CHECKS,
             "    if not scope.task_ok(labels.task_of(config)):", "    if False:"),
    Mutation("no-precision-filter", "drop the precision filter of the claim's scope", CHECKS,
             "    if not scope.precision_ok(labels.precision_of(config)):", "    if False:"),
    Mutation("no-workload-filter", "drop the workload filter of the claim's scope", CHECKS,
             "    if not scope.workload_ok(workload):\n        misses.append", "    if False:\n        misses.append"),
    Mutation("always-peak", "always use the peak memory level, whatever the claim says", CHECKS,
             'baseline, total = levels["import"], levels[level]', 'baseline, total = levels["import"], levels["peak"]'),
    Mutation("layouts-into-memory", "let every memory layout into the memory pairs, not each side's preferred one", CHECKS,
             "if not _preferred_case(case, preferred) or not scope.device_ok", "if not scope.device_ok"),
    Mutation("fingerprints-measured", "count a comparison whose loss fingerprints disagree as measured", CHECKS,
             "if c.verdict not in DECIDED_COMPARISON_VERDICTS or",
             'if c.verdict not in DECIDED_COMPARISON_VERDICTS | {"fingerprints_disagree"} or'),
    Mutation("no-cpu-note", "drop the note that labels CPU evidence for a GPU claim", CHECKS,
             "evidence for {_a(DEVICE_WORDS.get(scope.device, scope.device))} claim\")",
             "\")"),
    Mutation("executed-fact-row", "count an executed fact's row for the check instead of for the claim", CHECKS,
             "outcome = FOR if data.passed == holds_if_passed else AGAINST", "outcome = FOR if data.passed else AGAINST"),
    # Further rules this issue introduced.
    Mutation("asymmetric-table", "call against-plus-neither 'contradicted' again (the old asymmetry)", VERDICTS,
             "Rule(PARTLY_CONTRADICTED, KINDS,", "Rule(CONTRADICTED, KINDS,"),
    Mutation("no-device-filter", "drop the device filter of the claim's scope", CHECKS,
             "    if not scope.device_ok(device):\n        misses.append", "    if False:\n        misses.append"),
    Mutation("no-equivalence", "call 'no difference detected' equivalent (the old accuracy rule)", CHECKS,
             "    else:\n        outcome, words = NEITHER,", "    else:\n        outcome, words = FOR,"),
    Mutation("newest-run", "decide on the newest run holding evidence, not the page's default", EVALUATE,
             "    if check.needs(default, claim):\n        return Evidence(default, check.page, default)\n",
             "    if False:\n        return Evidence(default, check.page, default)\n"),
    Mutation("increment-ignored", "decide memory on the total whatever measure the claim names", CHECKS,
             'index = {"baseline": 0, "increment": 1, "total": 2}[measure]', "index = 2"),
)


def copy_tree(target: Path) -> None:
    for name in COPIED:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, target / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        elif source.exists():
            shutil.copy2(source, target / name)


def apply(tree: Path, mutation: Mutation) -> None:
    path = tree / mutation.path
    text = path.read_text(encoding="utf-8")
    count = text.count(mutation.old)
    if count != 1:
        raise SystemExit(f"mutation {mutation.name}: its snippet occurs {count} times in {mutation.path}, not once; "
                         "update the mutation with the code")
    path.write_text(text.replace(mutation.old, mutation.new), encoding="utf-8")


def run_tests(tree: Path) -> tuple[bool, str]:
    env = {**os.environ, "PYTHONPATH": str(tree), "PYTHONDONTWRITEBYTECODE": "1"}
    env.pop("FWBENCH_UPDATE_GOLDEN", None)
    done = subprocess.run([sys.executable, "-m", "pytest", "-q", "-x", "-p", "no:cacheprovider", *TESTS],
                          cwd=tree, env=env, capture_output=True, text=True, timeout=900)
    failed = [line for line in done.stdout.splitlines() if line.startswith("FAILED")]
    return done.returncode == 0, failed[0] if failed else done.stdout.strip().splitlines()[-1]


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--list", action="store_true", help="print the mutations and exit")
    parser.add_argument("--only", help="comma-separated mutation names")
    args = parser.parse_args(argv)
    chosen = [m for m in MUTATIONS if not args.only or m.name in args.only.split(",")]
    if args.list:
        for m in chosen:
            print(f"{m.name}: {m.what}")
        return 0
    survived = []
    with tempfile.TemporaryDirectory(prefix="claims-mutations-") as root:
        baseline = Path(root) / "baseline"
        copy_tree(baseline)
        ok, line = run_tests(baseline)
        if not ok:
            print(f"the unmutated tests fail ({line}); fix them first")
            return 2
        for mutation in chosen:
            tree = Path(root) / mutation.name
            copy_tree(tree)
            apply(tree, mutation)
            green, line = run_tests(tree)
            print(f"{'SURVIVED' if green else 'killed  '}  {mutation.name}: {mutation.what}" +
                  ("" if green else f"  <- {line}"))
            if green:
                survived.append(mutation.name)
            shutil.rmtree(tree)
    print(f"{len(chosen) - len(survived)} of {len(chosen)} mutations killed" +
          (f"; survived: {', '.join(survived)}" if survived else ""))
    return 1 if survived else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
