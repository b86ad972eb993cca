"""The `lockguard` command: every rule over a tree, for CI without pre-commit.

    lockguard [PATH ...] [--select ID,...] [--ignore ID,...] [--config FILE] [--fix]
              [--format text|github|json|sarif] [--statistics] [--output-file PATH]
              [--exit-zero] [-q | -v] [--jobs N]
    lockguard --explain ID
    lockguard --version

It walks each PATH (default: the current directory), skipping `.git`, virtualenvs,
`node_modules` and, inside a git work tree, what git ignores; runs each rule on the files its
catalogue pattern matches; prints every finding (or, with `--statistics`, how many of each kind
each rule reported); and exits 0 when clean, 1 otherwise (0 with `--exit-zero`). A text run
ends with a one-line summary on stderr when stderr is a terminal (or with `--verbose`).
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import re
import sys
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor

from hooks import arguments, face, formats, git, reading, runner
from hooks import settings as settings_module
from hooks.catalogue import BY_ID, RULES, Rule
from hooks.findings import ERROR, Finding, InputError, ordered
from hooks.repository import display

# A command line lockguard refuses, as argparse does: a bad option value, an output it will not write.
USAGE = 2

SKIPPED_DIRECTORIES = {".git", ".hg", ".svn", "node_modules", "__pycache__", ".tox", ".nox", ".mypy_cache", ".pytest_cache", ".venv", "venv"}


def _walked_files(directory: str, errors: list[InputError]) -> Iterator[str]:
    def unreadable(error: OSError) -> None:
        errors.append(InputError(display(error.filename or directory), f"cannot be read: {error.strerror or error}"))

    for current, directories, files in os.walk(directory, onerror=unreadable):
        directories[:] = sorted(d for d in directories if d not in SKIPPED_DIRECTORIES and not os.path.exists(os.path.join(current, d, "pyvenv.cfg")))
        for name in sorted(files):
            yield os.path.normpath(os.path.join(current, name))


def discover(paths: Sequence[str], errors: list[InputError]) -> list[str]:
    """Every file below `paths` (relative to the repository root, the current directory), as
    root-relative paths without duplicates; unreadable folders are added to `errors`."""
    found: dict[str, None] = {}
    listed: list[str] | None = None
    for path in paths:
        if not os.path.isdir(path):
            found[os.path.normpath(path)] = None
            continue
        if listed is None:
            listed = git.files() or []
        below = "" if path == os.curdir else os.path.join(path, "")
        candidates = [p for p in listed if p.startswith(below)] if listed else _walked_files(path, errors)
        for candidate in candidates:
            parts = os.path.relpath(candidate, path).split(os.sep)
            if not any(part in SKIPPED_DIRECTORIES for part in parts[:-1]):
                found[display(candidate)] = None
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


def _matched(rule: Rule, files: Sequence[str], settings: settings_module.Settings) -> list[str]:
    """The files `rule` judges: those its pattern matches that the configuration does not exclude."""
    pattern = re.compile(rule.files)
    return [f for f in files if pattern.search(f) and not settings.excluded(rule, f)]


def _run_rules(rules: Sequence[Rule], files: Sequence[str], settings: settings_module.Settings, base: str, fix: bool = False) -> list[Finding]:
    findings: list[Finding] = []
    for rule in rules:
        matched = _matched(rule, files, settings)
        if matched:
            findings.extend(runner.judge(rule, matched, runner.rule_options(rule, settings, root=base, fix=fix)))
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


def run(files: Sequence[str], rules: Sequence[Rule], settings: settings_module.Settings, base: str, jobs: int = 1, fix: bool = False) -> list[Finding]:
    """Every rule on the root-relative `files`; apps are looked for below `base`; with `fix`,
    the fixable rules write their fixes."""
    jobs = min(jobs, len(rules))
    if jobs <= 1 or len(files) < PARALLEL_FROM_FILES or "fork" not in multiprocessing.get_all_start_methods():
        return ordered(_run_rules(rules, files, settings, base, fix))
    # A large tree on several cores: rule batches in forked workers (imports and the file list
    # are shared by the fork), findings sent back and merged.
    with ProcessPoolExecutor(max_workers=jobs, mp_context=multiprocessing.get_context("fork")) as pool:
        results = pool.map(_run_rules, _batches(rules, jobs), [files] * jobs, [settings] * jobs, [base] * jobs, [fix] * jobs)
        return ordered(finding for result in results for finding in result)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="lockguard", description="Check that a Python app's dependencies are repeatable: every lockguard rule over a tree.", formatter_class=arguments.help_formatter)
    parser.add_argument("paths", nargs="*", default=[os.curdir], metavar="PATH", help="files or directories to check (default: the current directory)")
    parser.add_argument("--select", type=_rule_ids, default=None, metavar="ID,...", help="run only these rules")
    parser.add_argument("--ignore", type=_rule_ids, default=[], metavar="ID,...", help="skip these rules")
    parser.add_argument("--config", default=None, help="the pyproject.toml holding [tool.lockguard] (default: the repository root's)")
    parser.add_argument("--fix", action="store_true", help="let every rule that can fix write its fixes (atomically); " + ", ".join(rule.id for rule in RULES if rule.fixable) + " can")
    parser.add_argument("--format", choices=sorted(formats.FORMATS), default="text", help="how findings are printed (default: %(default)s)")
    parser.add_argument("--statistics", action="store_true", help="print how many findings each rule reported, by kind, instead of the findings (text or json)")
    parser.add_argument("--output-file", metavar="PATH", help="write the output to PATH, inside the repository, instead of stdout")
    parser.add_argument("--exit-zero", action="store_true", help="exit 0 even when something fails")
    talk = parser.add_mutually_exclusive_group()
    talk.add_argument("-q", "--quiet", action="store_true", help="print nothing: the exit code says it all")
    talk.add_argument("-v", "--verbose", action="store_true", help="end with a summary on stderr even when it is not a terminal, and on a clean run")
    parser.add_argument("--explain", type=_rule_id, metavar="ID", help="print a rule's documentation and exit")
    parser.add_argument("--version", action=arguments.VersionAction)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, metavar="N", help="processes to use on large trees (default: the number of CPUs)")
    args = parser.parse_args(argv)
    if args.explain:
        from hooks.docs import rule_markdown

        sys.stdout.write(rule_markdown(BY_ID[args.explain], level=1))
        return 0
    if args.statistics and args.format not in formats.STATISTICS:
        parser.error(f"--statistics prints {' or '.join(formats.STATISTICS)}, not {args.format}")
    # Relative to where the user stands: the run itself moves to the repository root.
    output = args.output_file and os.path.abspath(args.output_file)
    return face.guarded(lambda: _check(args, output))


def _refused_output(path: str) -> str | None:
    """Why lockguard will not write its output to `path` (absolute; the current directory is the
    repository root), or None. It writes inside the repository only, and never over a file a
    rule judges: a typo must not turn a lock into a report."""
    if reading.outside(path):
        return "is outside the repository, so lockguard does not write it"
    if not os.path.isdir(os.path.dirname(path)):
        return "is in a folder that does not exist"
    relative = display(os.path.relpath(path))
    judged_by = next((rule.id for rule in RULES if re.search(rule.files, relative)), None)
    if judged_by:
        return f"is a file {judged_by} judges, so lockguard does not overwrite it with its output"
    return None


def _check(args: argparse.Namespace, output: str | None) -> int:
    start = args.paths[0] if os.path.isdir(args.paths[0]) else os.curdir
    with face.at_repository(args.paths, args.config, start=start) as (paths, config, findings_errors):
        refusal = output and _refused_output(output)
        if refusal:
            sys.stderr.write(f"lockguard: error: --output-file {face.escape(args.output_file)} {refusal}\n")
            return USAGE
        findings = [error.finding("lockguard") for error in findings_errors]
        checked: set[str] = set()
        rules: list[Rule] = []
        try:
            settings = settings_module.load(config or settings_module.CONFIG_FILE)
        except InputError as error:
            findings.append(error.finding("lockguard"))
        else:
            rules = selected_rules(args.select, [*args.ignore, *settings.ignore])
            base = paths[0] if len(args.paths) == 1 and len(paths) == 1 and os.path.isdir(paths[0]) else os.curdir
            errors: list[InputError] = []
            files = discover(paths, errors)
            findings += [error.finding("lockguard") for error in errors]
            findings += run(files, rules, settings, base, jobs=max(args.jobs, 1), fix=args.fix)
            checked = {path for rule in rules for path in _matched(rule, files, settings)}
        # An unreadable file is not one rule's judgement: it is said once, by lockguard.
        findings = ordered(f._replace(rule="lockguard") if f.kind == ERROR else f for f in findings)
        text = (formats.STATISTICS if args.statistics else formats.FORMATS)[args.format](findings)
        if output:
            from hooks import writing  # tempfile and difflib: only for a run that writes

            try:
                writing.write_atomic(display(os.path.relpath(output)), text)
            except (writing.Refused, InputError, UnicodeError) as error:
                reason = f"{error.path} {error.message}" if isinstance(error, InputError) else str(error)
                sys.stderr.write(f"lockguard: error: --output-file: {face.escape(reason)}\n")
                return USAGE
        elif not args.quiet:
            face.write(text)
        # The summary is for a person at a terminal: on stderr, so that stdout keeps one finding
        # a line for whatever parses it.
        if args.format == "text" and not args.quiet and (args.verbose or sys.stderr.isatty()):
            line = formats.summary(findings, len(checked), len(rules), verbose=args.verbose, fixing=args.fix)
            if line:
                sys.stdout.flush()
                sys.stderr.write(line + "\n")
        return 0 if args.exit_zero else int(any(finding.fails for finding in findings))
    return 1  # pragma: no cover - at_repository always yields


if __name__ == "__main__":
    raise SystemExit(main())
