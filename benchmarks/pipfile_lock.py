"""Time the pipfile-lock hook against `pipenv verify` on the same projects, side by side in one
run: a small project and the largest real Pipfile.lock of the corpus, in sync and stale.
`python benchmarks/pipfile_lock.py`"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from timing import CORPUS, CORPUS_ABSENT, ROOT, measure, table, tool  # noqa: E402

PROJECTS = {
    "small (examples/pipfile-lock/passing)": os.path.join(ROOT, "examples", "pipfile-lock", "passing"),
    "largest corpus lock (checkov, in sync)": os.path.join(CORPUS, "locks", "pipenv", "bridgecrewio__checkov__6445bd77"),
    "stale (examples/pipfile-lock/failing)": os.path.join(ROOT, "examples", "pipfile-lock", "failing"),
}
# pipenv must not read this machine's pip configuration (it would change the hash) nor look for
# a virtualenv; `verify` itself makes no network call.
PIPENV_ENV = {"PIP_CONFIG_FILE": os.devnull, "PIPENV_VERBOSITY": "-1", "PIPENV_IGNORE_VIRTUALENVS": "1", "PIPENV_DONT_LOAD_ENV": "1"}


def main() -> None:
    rows = []
    with tempfile.TemporaryDirectory() as scratch:
        for label, source in PROJECTS.items():
            if not os.path.isdir(source):
                print(f"{label}: left out, {CORPUS_ABSENT}")
                continue
            work = os.path.join(scratch, os.path.basename(source))
            os.mkdir(work)
            for name in ("Pipfile", "Pipfile.lock"):
                shutil.copy(os.path.join(source, name), work)
            size_kb = os.path.getsize(os.path.join(work, "Pipfile.lock")) / 1024
            ours = measure("pipfile-lock", [tool("pipfile-lock"), "Pipfile", "Pipfile.lock"], work)
            theirs = measure("pipenv verify", [tool("pipenv"), "verify"], work, runs=5, env={**PIPENV_ENV, "WORKON_HOME": scratch})
            rows.append(
                (
                    f"{label}, {size_kb:.0f} KB lock",
                    f"{ours.median_ms:.0f} ms / {ours.peak_mb:.0f} MB (exit {ours.exit_code})",
                    f"{theirs.median_ms:.0f} ms / {theirs.peak_mb:.0f} MB (exit {theirs.exit_code})",
                    f"{theirs.median_ms / ours.median_ms:.1f}x",
                    f"{ours.peak_mb / theirs.peak_mb:.0%}",
                )
            )
    print("pipfile-lock vs pipenv verify: whole-process medians and peak RSS, same files, same run")
    print(table(rows, ("project", "pipfile-lock", "pipenv verify", "speed-up", "memory vs pipenv")))


if __name__ == "__main__":
    main()
