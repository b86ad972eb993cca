"""Time the poetry-lock hook against `poetry check --lock` on the same projects, side by side in
one run: a small project and the largest real poetry.lock of the corpus, fresh and stale.
`python benchmarks/poetry_lock.py`"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from timing import CORPUS, CORPUS_ABSENT, ROOT, measure, table, tool  # noqa: E402

LOCKS = os.path.join(CORPUS, "locks")


def largest_fresh_case() -> str:
    """The corpus case (`poetry/<case>`) with the largest poetry.lock that Poetry 2.5.1 judged in sync."""
    import csv

    with open(os.path.join(LOCKS, "MANIFEST.tsv"), newline="") as handle:
        fresh = [
            row["case_dir"] for row in csv.DictReader(handle, delimiter="\t") if row["case_dir"].startswith("poetry/") and row["tool_and_version"] == "poetry 2.5.1" and row["verdict"] == "in-sync"
        ]
    return max(fresh, key=lambda case: os.path.getsize(os.path.join(LOCKS, case, "poetry.lock")))


def main() -> None:
    projects = {"small (examples/poetry-lock/passing)": os.path.join(ROOT, "examples", "poetry-lock", "passing")}
    if os.path.isdir(LOCKS):
        largest = largest_fresh_case()
        projects[f"largest fresh corpus lock ({largest.split('__')[1]})"] = os.path.join(LOCKS, largest)
    else:
        print(f"largest fresh corpus lock: left out, {CORPUS_ABSENT}")
    projects["stale (examples/poetry-lock/failing)"] = os.path.join(ROOT, "examples", "poetry-lock", "failing")
    rows: list[tuple[str, ...]] = []
    with tempfile.TemporaryDirectory() as scratch:
        env = {"POETRY_VIRTUALENVS_CREATE": "false", "POETRY_CACHE_DIR": os.path.join(scratch, "cache"), "POETRY_CONFIG_DIR": os.path.join(scratch, "config"), "NO_COLOR": "1"}
        for label, source in projects.items():
            work = os.path.join(scratch, os.path.basename(source))
            os.mkdir(work)
            for name in ("pyproject.toml", "poetry.lock"):
                shutil.copy(os.path.join(source, name), work)
            open(os.path.join(work, "README.md"), "w").close()  # `poetry check` wants a declared readme to exist
            size_kb = os.path.getsize(os.path.join(work, "poetry.lock")) / 1024
            ours = measure("poetry-lock", [tool("poetry-lock"), "pyproject.toml", "poetry.lock"], work)
            theirs = measure("poetry check --lock", [tool("poetry"), "check", "--lock", "--no-ansi"], work, runs=5, env=env)
            rows.append(
                (
                    f"{label}, {size_kb:.0f} KB lock",
                    f"{ours.median_ms:.0f} ms / {ours.peak_mb:.0f} MB (exit {ours.exit_code})",
                    f"{theirs.median_ms:.0f} ms / {theirs.peak_mb:.0f} MB (exit {theirs.exit_code})",
                    f"{theirs.median_ms / ours.median_ms:.1f}x",
                )
            )
        rows.append(through_pre_commit(scratch, projects["small (examples/poetry-lock/passing)"], env))
    print("poetry-lock vs poetry check --lock: whole-process medians and peak RSS, same files, same run")
    print("(poetry check also exits 1 for validation errors unrelated to the lock)")
    print(table(rows, ("project", "poetry-lock", "poetry check --lock", "speed-up")))


def through_pre_commit(scratch: str, source: str, env: dict[str, str]) -> tuple[str, ...]:
    """Both hooks as pre-commit runs them (`pre-commit run --all-files` in a git repository),
    as local hooks using the installed tools: Poetry's own hook is `poetry check --lock`."""
    import subprocess

    work = os.path.join(scratch, "pre-commit")
    os.mkdir(work)
    for name in ("pyproject.toml", "poetry.lock"):
        shutil.copy(os.path.join(source, name), work)
    open(os.path.join(work, "README.md"), "w").close()
    subprocess.run(["git", "init", "-q"], cwd=work, check=True)
    subprocess.run(["git", "add", "-A"], cwd=work, check=True)
    timings = []
    for hook, entry in (("poetry-lock", tool("poetry-lock")), ("poetry-check", f"{tool('poetry')} check --lock")):
        with open(os.path.join(work, ".pre-commit-config.yaml"), "w") as handle:
            handle.write(
                "repos:\n-   repo: local\n    hooks:\n"
                f"    -   id: {hook}\n        name: {hook}\n        entry: {entry}\n        language: system\n"
                "        files: (^|/)(pyproject\\.toml|poetry\\.lock)$\n        pass_filenames: " + ("true" if hook == "poetry-lock" else "false") + "\n"
            )
        timings.append(measure(hook, [sys.executable, "-m", "pre_commit", "run", "--all-files"], work, runs=5, env={**env, "PRE_COMMIT_HOME": os.path.join(scratch, "pre-commit-home")}))
    ours, theirs = timings
    return (
        "through pre-commit run --all-files (small project)",
        f"{ours.median_ms:.0f} ms (exit {ours.exit_code})",
        f"{theirs.median_ms:.0f} ms (exit {theirs.exit_code})",
        f"{theirs.median_ms / ours.median_ms:.1f}x",
    )


if __name__ == "__main__":
    main()
