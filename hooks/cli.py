"""The `lockguard` command: every rule over a tree, for CI without pre-commit.

    lockguard [PATH ...] [--select ID,...] [--ignore ID,...] [--format text|github|json|sarif]
    lockguard --explain ID

It walks each PATH (default: the current directory), skipping `.git`, virtualenvs,
`node_modules` and, inside a git work tree, what git ignores; runs each rule on the files its
catalogue pattern matches; prints every finding; and exits 0 when clean, 1 otherwise.
"""
from __future__ import annotations

import argparse
import multiprocessing
import os
import re
import subprocess
import sys
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor

from hooks import formats, runner
from hooks import settings as settings_module
from hooks.catalogue import BY_ID, RULES, Rule
from hooks.findings import Finding, InputError

SKIPPED_DIRECTORIES = {".git", ".hg", ".svn", "node_modules", "__pycache__", ".tox", ".nox", ".mypy_cache", ".pytest_cache", ".venv", "venv"}


def _git_files(directory: str) -> list[str] | None:
    """Tracked and untracked-but-not-ignored files below `directory`, or None outside git."""
    try:
        result = subprocess.run(
            ["git", "-C", directory, "ls-files", "-z", "--cached", "--others", "--exclude-standard", "--full-name"],
            capture_output=True,
            check=True,
            timeout=30,
        )
        top = subprocess.run(["git", "-C", directory, "rev-parse", "--show-toplevel"], capture_output=True, text=True, check=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return None
    root = top.stdout.strip()
    files = []
    for name in result.stdout.decode("utf-8", "surrogateescape").split("\0"):
        if name:
            path = os.path.join(root, name)
            if os.path.lexists(path):  # deleted but still in the index
                files.append(path)
    return files


def _walked_files(directory: str) -> Iterator[str]:
    for current, directories, files in os.walk(directory):
        directories[:] = sorted(
            d for d in directories if d not in SKIPPED_DIRECTORIES and not os.path.exists(os.path.join(current, d, "pyvenv.cfg"))
        )
        for name in sorted(files):
            yield os.path.join(current, name)


def discover(paths: Sequence[str]) -> list[str]:
    """Every file below `paths`, as paths relative to the current directory, without duplicates."""
    found: dict[str, None] = {}
    for path in paths:
        if os.path.isdir(path):
            listed = _git_files(path)
            # git lists the whole work tree; keep what lies below `path`.
            below = os.path.join(os.path.abspath(path), "")
            candidates = (p for p in listed if os.path.abspath(p).startswith(below)) if listed is not None else _walked_files(path)
            for candidate in candidates:
                parts = os.path.relpath(candidate, path).split(os.sep)
                if not any(part in SKIPPED_DIRECTORIES for part in parts[:-1]):
                    found[os.path.relpath(candidate)] = None
        else:
            found[os.path.normpath(path)] = None
    return list(found)


def _rule_id(value: str) -> str:
    if value not in BY_ID:
        raise argparse.ArgumentTypeError(f"unknown rule {value!r} (known: {', '.join(sorted(BY_ID))})")
    return value


def _rule_ids(value: str) -> list[str]:
    return [_rule_id(item.strip()) for item in value.split(",") if item.strip()]


def selected_rules(select: list[str] | None, ignore: list[str]) -> list[Rule]:
    return [rule for rule in RULES if (not select or rule.id in select) and rule.id not in ignore]


# Below this many files, starting a second process costs more than it saves.
PARALLEL_FROM_FILES = 400


def _run_rules(rules: Sequence[Rule], files: Sequence[str], settings: settings_module.Settings, root: str) -> list[Finding]:
    findings: list[Finding] = []
    for rule in rules:
        pattern = re.compile(rule.files)
        matched = [f for f in files if pattern.search(f.replace(os.sep, "/")) and not settings.excluded(rule, f)]
        if matched:
            findings.extend(runner.check(rule, matched, runner.rule_options(rule, settings, argparse.Namespace(), root=root)))
    return findings


def _batches(rules: Sequence[Rule], jobs: int) -> list[list[Rule]]:
    """Rules split into `jobs` batches of similar cost. Rules that watch the same files stay
    together (the platform rules share one parse of the app configs)."""
    groups: dict[str, list[Rule]] = {}
    for rule in rules:
        groups.setdefault(rule.files, []).append(rule)
    batches: list[list[Rule]] = [[] for _ in range(jobs)]
    for group in sorted(groups.values(), key=len, reverse=True):
        min(batches, key=len).extend(group)
    return [batch for batch in batches if batch]


def run(paths: Sequence[str], rules: Sequence[Rule], settings: settings_module.Settings, root: str, jobs: int = 1) -> list[Finding]:
    files = discover(paths)
    jobs = min(jobs, len(rules))
    if jobs <= 1 or len(files) < PARALLEL_FROM_FILES or "fork" not in multiprocessing.get_all_start_methods():
        return sorted(set(_run_rules(rules, files, settings, root)))
    # A large tree on several cores: rule batches in forked workers (imports and the file list
    # are shared by the fork), findings sent back and merged.
    with ProcessPoolExecutor(max_workers=jobs, mp_context=multiprocessing.get_context("fork")) as pool:
        results = pool.map(_run_rules, _batches(rules, jobs), [files] * jobs, [settings] * jobs, [root] * jobs)
        return sorted({finding for result in results for finding in result})


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="lockguard", description="Check that a Python app's dependencies are repeatable: every lockguard rule over a tree.", formatter_class=runner.help_formatter)
    parser.add_argument("paths", nargs="*", default=[os.curdir], metavar="PATH", help="files or directories to check (default: the current directory)")
    parser.add_argument("--select", type=_rule_ids, default=None, metavar="ID,...", help="run only these rules")
    parser.add_argument("--ignore", type=_rule_ids, default=[], metavar="ID,...", help="skip these rules")
    parser.add_argument("--config", default=settings_module.CONFIG_FILE, help="the pyproject.toml holding [tool.lockguard] (default: %(default)s)")
    parser.add_argument("--format", choices=sorted(formats.FORMATS), default="text", help="how findings are printed (default: %(default)s)")
    parser.add_argument("--explain", type=_rule_id, metavar="ID", help="print a rule's documentation and exit")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, metavar="N", help="processes to use on large trees (default: the number of CPUs)")
    args = parser.parse_args(argv)
    if args.explain:
        from hooks.docs import rule_markdown

        print(rule_markdown(BY_ID[args.explain], level=1), end="")
        return 0
    for path in args.paths:
        if not os.path.lexists(path):
            parser.error(f"{path}: no such file or directory")
    try:
        settings = settings_module.load(args.config)
    except InputError as error:
        findings = [error.finding("lockguard")]
    else:
        rules = selected_rules(args.select, [*args.ignore, *settings.ignore])
        root = args.paths[0] if len(args.paths) == 1 and os.path.isdir(args.paths[0]) else os.curdir
        findings = run(args.paths, rules, settings, root, jobs=max(args.jobs, 1))
    sys.stdout.write(formats.FORMATS[args.format](findings))
    return int(any(finding.fails for finding in findings))


if __name__ == "__main__":
    raise SystemExit(main())
