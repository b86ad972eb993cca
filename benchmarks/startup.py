"""Start-up: each hook on its small passing example, against the floor `python -c "import tomllib"`.

A hook runs on every commit; most of its cost on a small project is the interpreter and its
imports. The target (issues 13 and 17): each hook within 1.3x the floor, measured in the same
environment and the same run. Runs the console scripts as pre-commit installs them.
"""

from __future__ import annotations

import os
import re
import sys

from timing import ROOT, measure, table, tool

from hooks.catalogue import RULES

EXAMPLES = os.path.join(ROOT, "examples")
RUNS = 21


def main() -> None:
    floor = measure('python -c "import tomllib"', [sys.executable, "-c", "import tomllib"], ROOT, runs=RUNS)
    rows = [(floor.label, f"{floor.median_ms:.0f}", "1.00", f"{floor.peak_mb:.0f}")]
    for rule in RULES:
        example = os.path.join(EXAMPLES, rule.id, "passing")
        # The files pre-commit would pass: those the hook's `files` pattern matches.
        files = sorted(p for p in (os.path.relpath(os.path.join(d, n), example) for d, _, names in os.walk(example) for n in names) if re.search(rule.files, p))
        timing = measure(rule.id, [tool(rule.id), *files], example, runs=RUNS)
        rows.append((rule.id, f"{timing.median_ms:.0f}", f"{timing.median_ms / floor.median_ms:.2f}", f"{timing.peak_mb:.0f}"))
    print(table(rows, ("hook on its passing example", "median ms", "x floor", "peak MB")))
    print(f"\nMedians of {RUNS} whole-process runs after one warm-up; the same interpreter and environment for all rows.")


if __name__ == "__main__":
    main()
