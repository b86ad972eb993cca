"""Time the lock-tool-version hook with and without the git read of `HEAD`'s lock: the same
project outside git (no call), in a git repository with the lock unchanged against `HEAD` (one
`git cat-file`), and with the lock's revision lowered (a finding), and the time of the HEAD read
alone, measured in process (whole-process medians vary by more than it on a shared machine); the
small example and the largest uv.lock and poetry.lock of the second lock corpus. `python benchmarks/lock_tool_version.py`"""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from timing import CORPUS, CORPUS_ABSENT, ROOT, measure, table, tool  # noqa: E402

GIT = ["git", "-c", "user.name=bench", "-c", "user.email=bench@example.org", "-c", "commit.gpgsign=false"]


def committed(source: str, work: str) -> None:
    shutil.copytree(source, work)
    subprocess.run([*GIT, "init", "-q"], cwd=work, check=True)
    subprocess.run([*GIT, "add", "-A"], cwd=work, check=True)
    subprocess.run([*GIT, "commit", "-q", "-m", "head"], cwd=work, check=True)


def lowered(work: str, lock: str) -> None:
    """Rewrite the lock's format as an older tool would (uv revision 5 -> 2, lock-version 2.1 -> 2.0)."""
    path = os.path.join(work, lock)
    with open(path, encoding="utf-8") as handle:
        text = handle.read()
    if lock == "uv.lock":
        text = text.replace("revision = 5", "revision = 2", 1).replace("revision = 3", "revision = 2", 1)
    else:
        text = text.replace('lock-version = "2.1"', 'lock-version = "2.0"', 1)
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(text)


def head_read_ms(work: str, lock: str, runs: int = 31) -> float:
    """Median time of one `reading.at_head` as the rule asks it (one `git cat-file --batch` and the
    decoding; of a uv.lock, its first 4 KiB only), in process."""
    code = (
        "import os, statistics, sys, time; from hooks import reading; times = []\n"
        "for _ in range(int(sys.argv[2])):\n"
        "    reading._head.clear(); start = time.perf_counter(); assert reading.at_head(sys.argv[1], int(sys.argv[3]) or None) is not None; times.append(time.perf_counter() - start)\n"
        "print(statistics.median(times) * 1000)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, lock, str(runs), "4096" if lock == "uv.lock" else "0"], cwd=work, env={**os.environ, "PYTHONPATH": ROOT}, capture_output=True, text=True, check=True
    )
    return float(result.stdout)


def main() -> None:
    projects = {"small uv project (examples/lock-tool-version/passing)": (os.path.join(ROOT, "examples", "lock-tool-version", "passing"), "uv.lock")}
    for lock in ("uv.lock", "poetry.lock"):
        found = glob.glob(os.path.join(CORPUS, "locks-2", "*", "*", lock))
        if found:
            largest = max(found, key=os.path.getsize)
            projects[f"largest corpus {lock} ({os.path.relpath(os.path.dirname(largest), CORPUS)})"] = (os.path.dirname(largest), lock)
        else:
            print(f"largest corpus {lock}: left out, {CORPUS_ABSENT}")
    rows = []
    with tempfile.TemporaryDirectory() as scratch:
        for label, (source, lock) in projects.items():
            plain, repository = os.path.join(scratch, f"{len(rows)}-plain"), os.path.join(scratch, f"{len(rows)}-git")
            shutil.copytree(source, plain)
            os.mkdir(os.path.join(plain, ".git"))  # the repository root, without git's objects: no call
            committed(source, repository)
            files = [lock, "pyproject.toml"] if os.path.exists(os.path.join(source, "pyproject.toml")) else [lock]
            size_kb = os.path.getsize(os.path.join(source, lock)) / 1024
            without = measure("no git", [tool("lock-tool-version"), *files], plain)
            unchanged = measure("unchanged", [tool("lock-tool-version"), *files], repository)
            read = head_read_ms(repository, lock)
            lowered(repository, lock)
            down = measure("lowered", [tool("lock-tool-version"), *files], repository)
            rows.append(
                (
                    f"{label}, {size_kb:.0f} KB lock",
                    f"{without.median_ms:.0f} ms (exit {without.exit_code})",
                    f"{unchanged.median_ms:.0f} ms (exit {unchanged.exit_code})",
                    f"{read:.1f} ms",
                    f"{down.median_ms:.0f} ms (exit {down.exit_code})",
                )
            )
    print("lock-tool-version: whole-process medians, outside git, in git with the lock as HEAD has it, and with its format lowered")
    print(table(rows, ("project", "no git", "git, unchanged", "one HEAD read, in process", "git, format lowered")))


if __name__ == "__main__":
    main()
