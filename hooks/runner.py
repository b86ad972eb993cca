"""The hook runner: what every rule module's `main` calls.

It parses the hook args (files, the rule's options, `--config`, `--exclude`, `--fix` where the
rule can fix), loads `[tool.lockguard]`, runs the rule's `check`, prints the findings one line
each, and returns the exit code: 0 when clean, 1 when anything was found or could not be judged.
"""
from __future__ import annotations

import argparse
import importlib
import os
from collections.abc import Iterable, Sequence
from types import SimpleNamespace

from hooks import settings as settings_module
from hooks.catalogue import Rule, rule_of_module
from hooks.findings import Finding, InputError, judged
from hooks.settings import Settings


def add_rule_arguments(parser: argparse.ArgumentParser, rule: Rule) -> None:
    for option in rule.options:
        if option.kind is bool:
            parser.add_argument(f"--{option.name}", dest=option.attribute, action="store_true", default=None, help=option.help)
        else:
            parser.add_argument(f"--{option.name}", dest=option.attribute, type=option.kind, default=None, help=option.help)
    if rule.fixable:
        parser.add_argument("--fix", action="store_true", help="rewrite the files to fix what can be fixed (atomically)")


def check(rule: Rule, paths: Sequence[str], options: SimpleNamespace) -> list[Finding]:
    """Run one rule on `paths`; errors become findings, duplicates are dropped, order is by place."""
    module = importlib.import_module(rule.module)
    return sorted(set(judged(rule.id, lambda: module.check(paths, options))))


def rule_options(rule: Rule, settings: Settings, args: argparse.Namespace, root: str = ".") -> SimpleNamespace:
    overrides = {option.attribute: getattr(args, option.attribute, None) for option in rule.options}
    options = settings.options(rule, overrides)
    options.root = root
    if rule.fixable:
        options.fix = bool(getattr(args, "fix", False))
    return options


def report(findings: Iterable[Finding]) -> int:
    code = 0
    for finding in findings:
        print(finding)
        code |= finding.fails
    return int(code)


def help_formatter(prog: str) -> argparse.HelpFormatter:
    """argparse's formatter, told the terminal width: left to find it itself, it imports
    `shutil` (and its compression modules) on every run, help or not."""
    try:
        width = int(os.environ.get("COLUMNS", "")) or os.get_terminal_size().columns
    except (ValueError, OSError):
        width = 80
    return argparse.HelpFormatter(prog, width=max(width - 2, 40))


def run_rule(module_file: str, argv: Sequence[str] | None = None) -> int:
    rule = rule_of_module(module_file)
    parser = argparse.ArgumentParser(prog=rule.id, description=rule.description, formatter_class=help_formatter)
    parser.add_argument("filenames", nargs="*", help="files to check (pre-commit passes them)")
    add_rule_arguments(parser, rule)
    parser.add_argument("--config", default=settings_module.CONFIG_FILE, help="the pyproject.toml holding [tool.lockguard] (default: %(default)s)")
    parser.add_argument("--exclude", action="append", default=[], metavar="PATTERN", help="skip paths matching this pattern (repeatable)")
    args = parser.parse_args(argv)
    try:
        settings = settings_module.load(args.config)
    except InputError as error:
        return report([error.finding(rule.id)])
    patterns = tuple(args.exclude)
    paths = [
        path
        for path in args.filenames
        if not settings.excluded(rule, path) and not settings_module.matches_any(path, patterns)
    ]
    return report(check(rule, paths, rule_options(rule, settings, args, root=os.curdir)))
