"""The command lines as argparse reads them: a hook's (when `runner.quick_args` cannot) and
`lockguard`'s, with `--help`, `--version`, their errors, and files named like options.

Imported only when a command line needs it: argparse, with the gettext and locale it pulls in,
would cost every hook a tenth of its start-up.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from hooks import face
from hooks import settings as settings_module
from hooks.catalogue import Rule


def hook_args(rule: Rule, argv: Sequence[str]) -> argparse.Namespace:
    """The hook's arguments as argparse reads them, with `--help`, `--version` and its errors."""
    parser = argparse.ArgumentParser(prog=rule.id, description=rule.description, formatter_class=help_formatter)
    parser.add_argument("filenames", nargs="*", help="files to check (pre-commit passes them)")
    add_rule_arguments(parser, rule)
    parser.add_argument("--config", default=settings_module.CONFIG_FILE, help="the pyproject.toml holding [tool.lockguard] (default: %(default)s)")
    parser.add_argument("--exclude", action="append", default=[], metavar="PATTERN", help="skip paths matching this pattern (repeatable)")
    parser.add_argument("--version", action=VersionAction)
    takes_value = {"--config", "--exclude", *(f"--{o.name}" for o in rule.options if o.kind is not bool)}
    return parser.parse_args(_files_last(argv, takes_value))


def add_rule_arguments(parser: argparse.ArgumentParser, rule: Rule) -> None:
    for option in rule.options:
        if option.kind is bool:
            parser.add_argument(f"--{option.name}", dest=option.attribute, action="store_true", default=None, help=option.help)
        else:
            parser.add_argument(f"--{option.name}", dest=option.attribute, type=option.kind, default=None, help=option.help)
    if rule.fixable:
        parser.add_argument("--fix", action="store_true", help="rewrite the files to fix what can be fixed (atomically)")


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
