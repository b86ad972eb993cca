"""Start-up: each hook on its small passing example, against the floor `python -c "import tomllib"`.

A hook runs on every commit; most of its cost on a small project is the interpreter and its
imports. The target (issues 13 and 17): each lock hook within 1.3x the floor, measured in the
same environment and the same run. Runs the console scripts as pre-commit installs them, each
on a copy of its example that is a git repository of its own, as a user's small project is (run
inside this repository, a hook would also read the pyproject.toml files above the example).
The floor and the hooks take turns, run after run, so that a machine's load weighs on all rows
alike; CPU time (user + system) is shown beside wall time, as it varies less with load.
"""

from __future__ import annotations

import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

from timing import ROOT, peak_memory_mb, table, tool

from hooks.catalogue import RULES

EXAMPLES = os.path.join(ROOT, "examples")
RUNS = 21


def _project(rule_id: str, scratch: str) -> tuple[str, list[str]]:
    """A copy of the rule's passing example as its own git repository, and the files pre-commit
    would pass the hook (those its `files` pattern matches)."""
    project = os.path.join(scratch, rule_id)
    shutil.copytree(os.path.join(EXAMPLES, rule_id, "passing"), project, symlinks=True)
    subprocess.run(["git", "init", "-q", project], check=True)
    names = (os.path.relpath(os.path.join(d, n), project) for d, _, found in os.walk(project) if ".git" not in d.split(os.sep) for n in found)
    return project, sorted(p for p in names if re.search(next(r for r in RULES if r.id == rule_id).files, p))


def _run(argv: list[str], cwd: str) -> tuple[float, float]:
    """Wall and CPU milliseconds of one whole-process run."""
    before, start = resource.getrusage(resource.RUSAGE_CHILDREN), time.perf_counter()
    subprocess.run(argv, cwd=cwd, capture_output=True)
    wall, after = time.perf_counter() - start, resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall * 1000, (after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime) * 1000


def main() -> None:
    with tempfile.TemporaryDirectory() as scratch:
        commands = [('python -c "import tomllib"', [sys.executable, "-c", "import tomllib"], scratch)]
        for rule in RULES:
            project, files = _project(rule.id, scratch)
            commands.append((rule.id, [tool(rule.id), *files], project))
        for _, argv, cwd in commands:  # warm-up
            _run(argv, cwd)
        runs: dict[str, list[tuple[float, float]]] = {label: [] for label, _, _ in commands}
        for _ in range(RUNS):
            for label, argv, cwd in commands:
                runs[label].append(_run(argv, cwd))
        floor_wall = statistics.median(w for w, _ in runs[commands[0][0]])
        floor_cpu = statistics.median(c for _, c in runs[commands[0][0]])
        rows = []
        for label, argv, cwd in commands:
            wall, cpu = statistics.median(w for w, _ in runs[label]), statistics.median(c for _, c in runs[label])
            rows.append((label, f"{wall:.0f}", f"{wall / floor_wall:.2f}", f"{cpu:.0f}", f"{cpu / floor_cpu:.2f}", f"{peak_memory_mb(argv, cwd):.0f}"))
    print(table(rows, ("hook on its passing example", "median ms", "x floor", "CPU ms", "CPU x floor", "peak MB")))
    print(f"\nMedians of {RUNS} whole-process runs after one warm-up, the rows taking turns; the same interpreter and environment for all rows.")


if __name__ == "__main__":
    main()
