"""Where the measuring side finds the checkout: children start there, and the code hash reads it."""

from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
BENCHMARKS_DIR = REPO_ROOT / "benchmarks"
