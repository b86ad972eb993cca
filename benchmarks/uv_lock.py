"""Time the uv-lock hook against `uv lock --check --offline` on the same projects, side by side
in one run: a small project, a locked sample with registry packages, the largest real uv.lock of
the platform corpus, and the largest workspace and lock of the second lock corpus. `python benchmarks/uv_lock.py`"""

from __future__ import annotations

import glob
import os
import shutil
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from timing import CORPUS, CORPUS_ABSENT, ROOT, measure, table, tool  # noqa: E402

DATA = os.path.join(ROOT, "tests", "data")


def interpreter_for(project: str) -> str | None:
    """A local interpreter satisfying the project's .python-version, so uv needs no download."""
    pinned = os.path.join(project, ".python-version")
    if not os.path.exists(pinned):
        return None
    with open(pinned) as handle:
        wanted = ".".join(handle.read().strip().split(".")[:2])
    found = shutil.which(f"python{wanted}") or next(iter(sorted(glob.glob(os.path.expanduser(f"~/.pyenv/versions/{wanted}*/bin/python{wanted}")))), None)
    return found


def main() -> None:
    projects = {
        "small (examples/uv-lock/passing)": os.path.join(ROOT, "examples", "uv-lock", "passing"),
        "sample with registry packages (tests/data/uv/sample)": os.path.join(DATA, "uv", "sample"),
    }
    # The real uv.lock files are in the platform corpus (read in place).
    real = glob.glob(os.path.join(CORPUS, "platform", "**", "uv.lock"), recursive=True)
    if real:
        largest = max(real, key=os.path.getsize)
        projects[f"largest corpus lock ({os.path.relpath(os.path.dirname(largest), CORPUS)})"] = os.path.dirname(largest)
    else:
        print(f"largest corpus lock: left out, {CORPUS_ABSENT}")
    # The largest real workspace (most members) and the largest lock of the second corpus, whose
    # markers name many extras (pipecat).
    cases = [os.path.dirname(p) for p in glob.glob(os.path.join(CORPUS, "locks-2", "uv", "*", "uv.lock"))]
    if cases:

        def members(case: str) -> int:
            return len(glob.glob(os.path.join(case, "**", "pyproject.toml"), recursive=True))

        widest = max(cases, key=members)
        projects[f"largest corpus workspace ({os.path.relpath(widest, CORPUS)}, {members(widest)} pyprojects)"] = widest
        heaviest = max(cases, key=lambda c: os.path.getsize(os.path.join(c, "uv.lock")))
        projects[f"largest corpus lock ({os.path.relpath(heaviest, CORPUS)})"] = heaviest
    projects["stale (examples/uv-lock/failing)"] = os.path.join(ROOT, "examples", "uv-lock", "failing")
    rows = []
    with tempfile.TemporaryDirectory() as scratch:
        for label, source in projects.items():
            work = os.path.join(scratch, str(len(rows)))
            shutil.copytree(source, work)
            env = {"XDG_CONFIG_HOME": os.path.join(scratch, "config"), "UV_OFFLINE": "1", "UV_PYTHON_DOWNLOADS": "never", "UV_CACHE_DIR": os.path.join(scratch, "cache")}
            python = interpreter_for(work)
            if python:
                env["UV_PYTHON"] = python
            size_kb = os.path.getsize(os.path.join(work, "uv.lock")) / 1024
            files = sorted(os.path.relpath(p, work) for name in ("pyproject.toml", "uv.lock") for p in glob.glob(os.path.join(work, "**", name), recursive=True))
            ours = measure("uv-lock", [tool("uv-lock"), *files], work)
            theirs = measure("uv lock --check", [tool("uv"), "lock", "--check", "--offline"], work, env=env)
            rows.append(
                (
                    f"{label}, {size_kb:.0f} KB lock",
                    f"{ours.median_ms:.0f} ms / {ours.peak_mb:.0f} MB (exit {ours.exit_code})",
                    f"{theirs.median_ms:.0f} ms / {theirs.peak_mb:.0f} MB (exit {theirs.exit_code})",
                    f"{theirs.median_ms / ours.median_ms:.2f}x",
                )
            )
    print("uv-lock vs uv lock --check --offline: whole-process medians and peak RSS, same files, same run")
    print(table(rows, ("project", "uv-lock", "uv lock --check --offline", "speed-up")))


if __name__ == "__main__":
    main()
