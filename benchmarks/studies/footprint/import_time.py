"""Cold import time: `import <module>` in fresh interpreters, the first right after the others'
files may have left the page cache, so the first and the median are kept apart."""

from __future__ import annotations

import subprocess

SNIPPET = "import time; t = time.perf_counter(); import {module}; print(time.perf_counter() - t)"


def import_seconds(python: str, module: str, repeats: int) -> list[float]:
    """Seconds for the import statement alone (interpreter start-up excluded), one fresh process each."""
    seconds = []
    for _ in range(repeats):
        done = subprocess.run([python, "-c", SNIPPET.format(module=module)], capture_output=True, text=True, timeout=300)
        if done.returncode != 0:
            lines = [line for line in done.stderr.splitlines() if line.strip()]
            raise RuntimeError(f"import {module} failed: {lines[-1] if lines else 'no output'}")
        seconds.append(float(done.stdout.strip().splitlines()[-1]))
    return seconds
