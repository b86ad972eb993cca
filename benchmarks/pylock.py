"""Time the pylock hook against the floor every hook pays, `python -c "import tomllib"`: a pylock
file exported from uv.lock (validated with packaging.pylock and compared with the lock), one
compiled from requirements.in, one written by pipenv, and all three at once. The hook runs as
pre-commit runs it, a whole process. `python benchmarks/pylock.py`"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from timing import ROOT, measure, table  # noqa: E402

# The hook as its console script runs it, from this checkout (an installed lockguard may be older).
HOOK = [sys.executable, "-c", "import sys; from hooks.entry_points import pylock; sys.exit(pylock(sys.argv[1:]))"]
FILES = {
    "exported from uv.lock (uv export)": "uv-export/pylock.toml",
    "compiled from requirements.in (uv pip compile)": "inputs/pylock.requirements.toml",
    "written by pipenv beside Pipfile.lock": "pipenv/pylock.toml",
}


def main() -> None:
    env = {"PYTHONPATH": ROOT}
    with tempfile.TemporaryDirectory() as scratch:
        work = os.path.join(scratch, "repo")
        shutil.copytree(os.path.join(ROOT, "tests", "data", "pylock"), work)
        os.mkdir(os.path.join(work, ".git"))
        rows = [measure('python -c "import tomllib" (the floor)', [sys.executable, "-c", "import tomllib"], work, env=env)]
        rows += [measure(label, [*HOOK, path], work, env=env) for label, path in FILES.items()]
        rows.append(measure("the three at once", [*HOOK, *FILES.values()], work, env=env))
    floor = rows[0].median_ms
    print("pylock hook vs the interpreter's floor: whole-process medians and peak RSS, same run")
    print(table([(r.label, f"{r.median_ms:.0f} ms", f"+{r.median_ms - floor:.0f} ms", f"{r.peak_mb:.0f} MB", str(r.exit_code)) for r in rows], ("run", "median", "over floor", "peak RSS", "exit")))


if __name__ == "__main__":
    main()
