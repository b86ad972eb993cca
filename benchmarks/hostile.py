"""Time and peak memory of every hook on the hostile inputs of issue 12 (recursive aliases, big
files, backtracking patterns): `python benchmarks/hostile.py [--timeout S] [--memory MB] [CASE ...]`

Each case runs in a fresh interpreter (`tests/hostile/cases.py`), under an address-space cap so
that a memory bomb ends in a MemoryError instead of the machine's OOM killer. The time is the
hook's `main` alone (interpreter start-up excluded); the memory is the process's peak resident
set (VmHWM, interpreter included: about 20 MB for a hook that reads nothing).
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
sys.path.insert(0, HERE)
from timing import table  # noqa: E402

from tests.hostile.cases import BY_NAME, CASES, ELSEWHERE, Result, errors, run, write  # noqa: E402


def outcome(result: Result) -> str:
    if result.failure:
        return f"{result.failure[:80]} (process ended after {result.wall:.0f} s)" if "still running" not in result.failure else result.failure
    refused = errors(result.lines)
    if refused:
        more = f" (+{len(refused) - 1} more)" if len(refused) > 1 else ""
        return f"refused: {refused[0][1][:80]}{more}"
    return f"judged: {len(result.lines)} finding(s)"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("cases", nargs="*", help="names of the cases to run (default: all)")
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds before a run is stopped (default: %(default)s)")
    parser.add_argument("--memory", type=int, default=4096, help="address-space cap in MB (default: %(default)s)")
    args = parser.parse_args()
    cases = [BY_NAME[name] for name in args.cases] if args.cases else [*CASES, *ELSEWHERE]
    rows = []
    for case in cases:
        with tempfile.TemporaryDirectory() as work:
            write(case, work)
            result = run(case, work, args.timeout, args.memory)
        seconds = f"{result.seconds:.2f} s" if result.seconds is not None else "-"
        peak = f"{result.peak_mb:.0f} MB" if result.peak_mb is not None else "-"
        rows.append((case.name, case.hook.split(".")[-1].replace("_", "-"), seconds, peak, outcome(result)))
        print(f"{case.name}: {seconds} {peak} {rows[-1][-1]}", file=sys.stderr, flush=True)
    print(f"hostile inputs, {platform.python_implementation()} {platform.python_version()}, {os.cpu_count()} cores, timeout {args.timeout:.0f} s, memory cap {args.memory} MB")
    print(table(rows, ("case", "hook", "main()", "peak RSS", "outcome")))


if __name__ == "__main__":
    main()
