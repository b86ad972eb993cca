"""Scale: a generated monorepo of N projects, timed with `lockguard .` and `pre-commit run --all-files`.

    python benchmarks/monorepo.py [--sizes 50,200,500] [--keep DIR]

The projects are real files from the shared corpus (`../shared/corpus`, read in place; each case
a real repository's manifests and locks) and this project's own uv fixtures (`tests/data/uv`):
pinned and unpinned requirements, Pipfile pairs, Poetry and uv projects, Platform.sh and Upsun
apps, the largest locks included. The mix cycles through every family, so each size holds the
same proportions. pre-commit runs the hooks as `repo: local` system hooks (the installed console
scripts), so what is timed is the hooks, not pre-commit's installation.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from timing import CORPUS, CORPUS_ABSENT, ROOT, table, tool  # noqa: E402

DATA = os.path.join(ROOT, "tests", "data")
FAMILIES = {
    "requirements": os.path.join(CORPUS, "locks", "requirements"),
    "pipenv": os.path.join(CORPUS, "locks", "pipenv"),
    "poetry": os.path.join(CORPUS, "locks", "poetry"),
    "uv": os.path.join(DATA, "uv"),
    "platform": os.path.join(CORPUS, "platform"),
}


def cases() -> dict[str, list[str]]:
    found = {}
    for family, directory in FAMILIES.items():
        if os.path.isdir(directory):
            found[family] = sorted(os.path.join(directory, name) for name in os.listdir(directory) if os.path.isdir(os.path.join(directory, name)))
    return {family: paths for family, paths in found.items() if paths}


def generate(root: str, size: int) -> dict[str, int]:
    available = cases()
    families = sorted(available)
    counts = dict.fromkeys(families, 0)
    for index in range(size):
        family = families[index % len(families)]
        source = available[family][(index // len(families)) % len(available[family])]
        shutil.copytree(source, os.path.join(root, f"p{index:03d}-{family}"), symlinks=True)
        counts[family] += 1
    subprocess.run(["git", "init", "-q"], cwd=root, check=True)
    subprocess.run(["git", "add", "-A"], cwd=root, check=True)
    return counts


def pre_commit_config() -> str:
    from hooks.catalogue import RULES

    lines = ["repos:", "-   repo: local", "    hooks:"]
    for rule in RULES:
        lines += [
            f"    -   id: {rule.id}",
            f"        name: {rule.id}",
            f"        entry: {tool(rule.id)}",
            "        language: system",
            f"        files: '{rule.files}'",
        ]
        if rule.require_serial:
            lines.append("        require_serial: true")
    return "\n".join(lines) + "\n"


def median_seconds(argv: list[str], cwd: str, runs: int) -> tuple[float, int]:
    times = []
    code = 0
    for _ in range(runs):
        start = time.perf_counter()
        code = subprocess.run(argv, cwd=cwd, capture_output=True).returncode
        times.append(time.perf_counter() - start)
    return statistics.median(times), code


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="50,200,500")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--keep", help="leave the largest generated monorepo in this directory")
    args = parser.parse_args()
    if not os.path.isdir(CORPUS):
        print(f"only tests/data/uv's projects: {CORPUS_ABSENT}")
    rows = []
    for size in (int(s) for s in args.sizes.split(",")):
        with tempfile.TemporaryDirectory() as scratch:
            counts = generate(scratch, size)
            seconds, code = median_seconds([tool("lockguard"), "."], scratch, args.runs)
            row = [str(size), " ".join(f"{k}={v}" for k, v in counts.items()), f"{seconds:.2f} s", f"{seconds / size * 1000:.1f} ms", str(code)]
            with open(os.path.join(scratch, ".pre-commit-config.yaml"), "w") as handle:
                handle.write(pre_commit_config())
            # Both columns are medians of the same number of runs; one unrecorded run first, so
            # that pre-commit's one-off set-up of its store is not part of what is timed.
            subprocess.run([sys.executable, "-m", "pre_commit", "run", "--all-files"], cwd=scratch, capture_output=True)
            pc_seconds, _ = median_seconds([sys.executable, "-m", "pre_commit", "run", "--all-files"], scratch, args.runs)
            row.append(f"{pc_seconds:.2f} s")
            rows.append(tuple(row))
            if args.keep and size == max(int(s) for s in args.sizes.split(",")):
                shutil.copytree(scratch, args.keep, dirs_exist_ok=True)
    print(f"lockguard on a generated monorepo ({os.cpu_count()} cores; both timed columns are medians of {args.runs} runs, pre-commit's after one warm-up run)")
    print(table(rows, ("projects", "mix", "lockguard .", "per project", "exit", "pre-commit run --all-files")))


if __name__ == "__main__":
    main()
