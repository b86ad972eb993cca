"""Shared timing for the benchmarks: whole-process runs, medians, peak memory, a printed table.

Every benchmark times complete processes (interpreter start included), because that is what a
pre-commit hook costs on every commit.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass

BIN = os.path.dirname(sys.executable)
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# The shared corpus of real files from public repositories, read in place: `../shared/corpus`
# beside the repository (as tests/conftest.py finds it). A user's clone has none.
CORPUS = os.path.join(os.path.dirname(ROOT), "shared", "corpus")
CORPUS_ABSENT = "../shared/corpus is absent (a user's clone): the corpus rows need the shared corpus beside the repository"


def tool(name: str) -> str:
    """A console script installed beside the running interpreter (the venv's own)."""
    return os.path.join(BIN, name)


@dataclass(frozen=True)
class Timing:
    label: str
    median_ms: float
    peak_mb: float
    exit_code: int


def measure(label: str, argv: Sequence[str], cwd: str, runs: int = 9, env: dict[str, str] | None = None) -> Timing:
    """Median wall time of `runs` runs (after one warm-up), and the peak memory of one run."""
    environment = {**os.environ, **(env or {})}
    subprocess.run(argv, cwd=cwd, env=environment, capture_output=True)
    times = []
    code = 0
    for _ in range(runs):
        start = time.perf_counter()
        code = subprocess.run(argv, cwd=cwd, env=environment, capture_output=True).returncode
        times.append((time.perf_counter() - start) * 1000)
    return Timing(label, statistics.median(times), peak_memory_mb(argv, cwd, env), code)


def peak_memory_mb(argv: Sequence[str], cwd: str, env: dict[str, str] | None = None) -> float:
    """Peak RSS of one run: a fresh interpreter runs it, so no other child's peak is counted."""
    environment = {**os.environ, **(env or {})}
    code = "import resource, subprocess, sys;subprocess.run(sys.argv[1:], capture_output=True);print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
    result = subprocess.run([sys.executable, "-c", code, *argv], cwd=cwd, env=environment, capture_output=True, text=True)
    return int(result.stdout.strip()) / 1024


def table(rows: Sequence[tuple[str, ...]], header: tuple[str, ...]) -> str:
    widths = [max(len(str(cell)) for cell in column) for column in zip(header, *rows)]
    lines = ["  ".join(str(cell).ljust(width) for cell, width in zip(row, widths)) for row in (header, *rows)]
    lines.insert(1, "  ".join("-" * width for width in widths))
    return "\n".join(lines)
