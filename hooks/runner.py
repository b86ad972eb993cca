"""Running rules: a rule's units judged, and the hook command every console script runs.

`judge(rule, paths, options)` maps the paths to the rule's units (`hooks.units`) and calls the
rule module's `judge(unit, options)` on each; an unreadable file becomes one error finding.
`run_hook(rule, argv)` is a hook's whole command line: parse the args (files, the rule's
options, `--config`, `--exclude`, `--fix` where the rule can fix), load `[tool.lockguard]`,
judge, print one line per finding, and return 0 when clean, 1 otherwise.
"""

from __future__ import annotations

import argparse
import functools
import importlib
import os
import sys
from collections.abc import Callable, Iterable, Sequence
from types import SimpleNamespace

from hooks import face, units
from hooks import settings as settings_module
from hooks.catalogue import Rule
from hooks.findings import INTERNAL_ERROR, Finding, InputError, judged, ordered
from hooks.settings import Settings


def add_rule_arguments(parser: argparse.ArgumentParser, rule: Rule) -> None:
    for option in rule.options:
        if option.kind is bool:
            parser.add_argument(f"--{option.name}", dest=option.attribute, action="store_true", default=None, help=option.help)
        else:
            parser.add_argument(f"--{option.name}", dest=option.attribute, type=option.kind, default=None, help=option.help)
    if rule.fixable:
        parser.add_argument("--fix", action="store_true", help="rewrite the files to fix what can be fixed (atomically)")


def judge(rule: Rule, paths: Iterable[str], options: SimpleNamespace) -> list[Finding]:
    """Every finding of `rule` on the units `paths` make (paths relative to the repository root;
    `options.root` is the folder apps are looked for in)."""
    module = importlib.import_module(rule.module)
    findings: list[Finding] = []
    for unit in units.SCOPES[rule.scope](paths, options.root):
        if isinstance(unit, InputError):
            findings.append(unit.finding(rule.id))
        else:
            findings.extend(_contained(rule, unit, functools.partial(module.judge, unit, options)))
    return findings


# Set to see a lockguard bug's traceback instead of its one error line (the tests set it).
DEBUG_VARIABLE = "LOCKGUARD_DEBUG"


def _contained(rule: Rule, unit: object, judge: Callable[[], Iterable[Finding]]) -> list[Finding]:
    """The unit's findings; a bug in lockguard becomes one failing line on that unit, so that it
    neither hides the other units' findings nor prints a traceback into a CI log."""
    try:
        return list(judged(rule.id, judge))
    except Exception as error:  # noqa: BLE001 - reported as a failing finding, never a pass
        if os.environ.get(DEBUG_VARIABLE):
            raise
        reason = " ".join(f"{type(error).__name__}: {error}".split())
        message = f"internal error: {reason} (a bug in lockguard: please report it; {DEBUG_VARIABLE}=1 shows the traceback)"
        return [Finding(units.place_of(unit), 1, 1, rule.id, message, True, INTERNAL_ERROR)]


def rule_options(rule: Rule, settings: Settings, args: argparse.Namespace | None = None, root: str = os.curdir, fix: bool = False) -> SimpleNamespace:
    """The options `rule` judges with: the configuration, overridden by a hook's `args`; `fix`
    (or the hook's `--fix`) lets a fixable rule write its fixes."""
    overrides = {option.attribute: getattr(args, option.attribute, None) for option in rule.options}
    options = settings.options(rule, overrides)
    options.root = root
    if rule.fixable:
        options.fix = fix or bool(getattr(args, "fix", False))
    return options


class VersionAction(argparse.Action):
    """`--version`: argparse's own action needs the version string when the parser is built,
    which would import `importlib.metadata` on every run; this one looks it up when asked."""

    def __init__(self, option_strings: Sequence[str], dest: str = argparse.SUPPRESS, **kwargs: object) -> None:
        super().__init__(option_strings, dest, nargs=0, default=argparse.SUPPRESS, help="print lockguard's version and exit")

    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace, values: object, option_string: str | None = None) -> None:
        hook = "" if parser.prog == "lockguard" else f" ({parser.prog})"
        sys.stdout.write(f"lockguard {face.version()}{hook}\n")
        parser.exit()


def help_formatter(prog: str) -> argparse.HelpFormatter:
    """argparse's formatter, told the terminal width: left to find it itself, it imports
    `shutil` (and its compression modules) on every run, help or not."""
    try:
        width = int(os.environ.get("COLUMNS", "")) or os.get_terminal_size().columns
    except (ValueError, OSError):
        width = 80
    return argparse.HelpFormatter(prog, width=max(width - 2, 40))


def _files_last(argv: Sequence[str], takes_value: set[str]) -> list[str]:
    """`argv` with every existing file that looks like an option moved after `--`.

    pre-commit passes file names after the hook's args, without `--`: a committed file named
    `--exclude=*` must stay a file name, never switch the hook off. An argument is a file when
    it names an existing file and is not the value of the option before it.
    """
    options: list[str] = []
    names: list[str] = []
    expects_value = False
    for index, arg in enumerate(argv):
        if arg == "--":
            names += argv[index + 1 :]
            break
        if not expects_value and arg.startswith("-") and os.path.lexists(arg):
            names.append(arg)
        else:
            (names if not arg.startswith("-") and not expects_value else options).append(arg)
        expects_value = not expects_value and arg in takes_value
    return [*options, "--", *names] if names else options


def run_hook(rule: Rule, argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog=rule.id, description=rule.description, formatter_class=help_formatter)
    parser.add_argument("filenames", nargs="*", help="files to check (pre-commit passes them)")
    add_rule_arguments(parser, rule)
    parser.add_argument("--config", default=settings_module.CONFIG_FILE, help="the pyproject.toml holding [tool.lockguard] (default: %(default)s)")
    parser.add_argument("--exclude", action="append", default=[], metavar="PATTERN", help="skip paths matching this pattern (repeatable)")
    parser.add_argument("--version", action=VersionAction)
    takes_value = {"--config", "--exclude", *(f"--{o.name}" for o in rule.options if o.kind is not bool)}
    args = parser.parse_args(_files_last(sys.argv[1:] if argv is None else argv, takes_value))
    return face.guarded(lambda: _hook(rule, args))


def _hook(rule: Rule, args: argparse.Namespace) -> int:
    with face.at_repository(args.filenames, args.config, start=os.curdir) as (paths, config, errors):
        findings = [error.finding(rule.id) for error in errors]
        if config is None:
            return face.report(findings)
        try:
            settings = settings_module.load(config)
        except InputError as error:
            return face.report([error.finding(rule.id)])
        patterns = tuple(args.exclude)
        kept = [p for p in paths if not settings.excluded(rule, p) and not settings_module.matches_any(p, patterns)]
        findings += judge(rule, kept, rule_options(rule, settings, args))
        return face.report(ordered(findings))
    return 1  # pragma: no cover - at_repository always yields
