"""Running rules: a rule's units judged, and the hook command every console script runs.

`judge(rule, paths, options)` maps the paths to the rule's units (`hooks.units`) and calls the
rule module's `judge(unit, options)` on each; an unreadable file becomes one error finding.
`run_hook(rule, argv)` is a hook's whole command line: parse the args (files, the rule's
options, `--config`, `--exclude`, `--fix` where the rule can fix), load `[tool.lockguard]`,
judge, print one line per finding, and return 0 when clean, 1 otherwise.
"""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable, Iterable, Sequence
from types import SimpleNamespace

from hooks import face, units
from hooks import settings as settings_module
from hooks.catalogue import Rule
from hooks.findings import INTERNAL_ERROR, Finding, InputError, judged, ordered
from hooks.settings import Settings

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


def judge(rule: Rule, paths: Iterable[str], options: SimpleNamespace) -> list[Finding]:
    """Every finding of `rule` on the units `paths` make (paths relative to the repository root;
    `options.root` is the folder apps are looked for in)."""
    module = sys.modules.get(rule.module) or __import__(rule.module, fromlist=["judge"])
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


def rule_options(rule: Rule, settings: Settings, args: object = None, root: str = os.curdir, fix: bool = False) -> SimpleNamespace:
    """The options `rule` judges with: the configuration, overridden by a hook's `args`; `fix`
    (or the hook's `--fix`) lets a fixable rule write its fixes."""
    overrides = {option.attribute: getattr(args, option.attribute, None) for option in rule.options}
    options = settings.options(rule, overrides)
    options.root = root
    if rule.fixable:
        options.fix = fix or bool(getattr(args, "fix", False))
    return options


def quick_args(rule: Rule, argv: Sequence[str]) -> SimpleNamespace | None:
    """The hook's arguments without argparse, for the command lines pre-commit writes: file
    names (none looking like an option) and this hook's own options spelt in full. None for
    anything else (`--help`, an abbreviation, a bad value, a file named `--x`): argparse then
    parses it, with its messages. argparse, with the gettext and locale it pulls in, costs a
    hook a tenth of its start-up on every commit."""
    flags = {f"--{o.name}": o.attribute for o in rule.options if o.kind is bool}
    if rule.fixable:
        flags["--fix"] = "fix"
    valued = {"--config": "config", "--exclude": "exclude", **{f"--{o.name}": o.attribute for o in rule.options if o.kind is str}}
    args = SimpleNamespace(**{option.attribute: None for option in rule.options}, filenames=[], config=settings_module.CONFIG_FILE, exclude=[])
    if rule.fixable:
        args.fix = False
    arguments = iter(argv)
    for arg in arguments:
        if not arg.startswith("-"):
            args.filenames.append(arg)
            continue
        name, equals, value = arg.partition("=")
        if os.path.lexists(arg):  # a file named like an option: argparse's path keeps it a file
            return None
        if name in flags and not equals:
            setattr(args, flags[name], True)
        elif name in valued:
            if not equals:
                value = next(arguments, "-")
            if value.startswith("-"):
                return None
            if name == "--exclude":
                args.exclude.append(value)
            else:
                setattr(args, valued[name], value)
        else:
            return None
    return args


def run_hook(rule: Rule, argv: Sequence[str] | None = None) -> int:
    arguments = sys.argv[1:] if argv is None else argv
    args: object = quick_args(rule, arguments)
    if args is None:
        from hooks import arguments as parsing

        args = parsing.hook_args(rule, arguments)
    return face.guarded(lambda: _hook(rule, args))


def _hook(rule: Rule, args: Any) -> int:
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
