"""Time the pdm-lock hook against `pdm lock --check` and the floor, `python -c "import tomllib"`
(an interpreter that only parses TOML: no hook can start faster), on the same projects, side by
side in one run: the example project, in sync and stale. `python benchmarks/pdm_lock.py`"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from timing import ROOT, measure, table, tool  # noqa: E402

PROJECTS = {
    "in sync (examples/pdm-lock/passing)": os.path.join(ROOT, "examples", "pdm-lock", "passing"),
    "stale (examples/pdm-lock/failing)": os.path.join(ROOT, "examples", "pdm-lock", "failing"),
}


def main() -> None:
    rows = []
    with tempfile.TemporaryDirectory() as scratch:
        # No configuration of this machine, no update check, no virtualenv: `--check` reads files only.
        env = {"PDM_CHECK_UPDATE": "false", "PDM_IGNORE_SAVED_PYTHON": "1", "PDM_USE_VENV": "false", "NO_COLOR": "1",
               "PDM_CACHE_DIR": os.path.join(scratch, "cache"), "PDM_CONFIG_FILE": os.path.join(scratch, "config.toml")}  # fmt: skip
        for label, source in PROJECTS.items():
            work = os.path.join(scratch, os.path.basename(source))
            os.mkdir(work)
            os.mkdir(os.path.join(work, ".git"))
            for name in ("pyproject.toml", "pdm.lock"):
                shutil.copy(os.path.join(source, name), work)
            size_kb = os.path.getsize(os.path.join(work, "pdm.lock")) / 1024
            ours = measure("pdm-lock", [tool("pdm-lock"), "pyproject.toml", "pdm.lock"], work)
            theirs = measure("pdm lock --check", [tool("pdm"), "lock", "--check"], work, runs=5, env=env)
            floor = measure("floor", [sys.executable, "-c", "import tomllib"], work)
            rows.append(
                (
                    f"{label}, {size_kb:.0f} KB lock",
                    f"{ours.median_ms:.0f} ms / {ours.peak_mb:.0f} MB (exit {ours.exit_code})",
                    f"{theirs.median_ms:.0f} ms / {theirs.peak_mb:.0f} MB (exit {theirs.exit_code})",
                    f"{floor.median_ms:.0f} ms",
                    f"{theirs.median_ms / ours.median_ms:.1f}x",
                )
            )
    print("pdm-lock vs pdm lock --check vs the floor: whole-process medians and peak RSS, same files, same run")
    print(table(rows, ("project", "pdm-lock", "pdm lock --check", "python -c 'import tomllib'", "speed-up")))


if __name__ == "__main__":
    main()
