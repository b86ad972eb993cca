"""Rule documentation: a rule module's docstring plus its catalogue options, rendered once for
`docs/rules/<id>.md` and for `lockguard --explain`."""

from __future__ import annotations

import importlib
import inspect

from hooks.catalogue import Rule
from hooks.findings import COMMON_KINDS

COMMON_OPTIONS = (
    ("--exclude PATTERN", "skip matching paths (repeatable); also `exclude = [...]` in `[tool.lockguard]` or the rule's table"),
    ("--config FILE", "read `[tool.lockguard]` from FILE instead of `./pyproject.toml`"),
)


def docstring(rule: Rule) -> str:
    return inspect.cleandoc(importlib.import_module(rule.module).__doc__ or "")


def options_markdown(rule: Rule, heading: str) -> str:
    lines = [f"{heading} Options"]
    for option in rule.options:
        kind = "" if option.kind is bool else f" {option.kind.__name__.upper()}"
        lines.append(f"- `--{option.name}{kind}` (`{option.name} = {str(option.default).lower() if option.kind is bool else repr(option.default)}` in `[tool.lockguard.{rule.id}]`): {option.help}.")
    if rule.fixable:
        lines.append("- `--fix`: rewrite the file to fix what can be fixed; written atomically, comments and order kept.")
    for flag, help_text in COMMON_OPTIONS:
        lines.append(f"- `{flag}`: {help_text}.")
    return "\n".join(lines)


def kinds_markdown(rule: Rule, heading: str) -> str:
    """The kinds of finding the rule reports (the `kind` of JSON and SARIF output)."""
    lines = [f"{heading} Finding kinds"]
    lines += [f"- `{kind}`: {meaning}." for kind, meaning in {**rule.kinds, **COMMON_KINDS}.items()]
    return "\n".join(lines)


def rule_markdown(rule: Rule, level: int = 3) -> str:
    """The rule's page (`level=1`) or section: `# id`, its docstring with headings moved under
    it, its kinds of finding, its options."""
    heading = "#" * (level + 1)
    body = []
    for line in docstring(rule).splitlines():
        body.append(heading + line[2:] if line.startswith("## ") else line)
    sections = ("\n".join(body).strip(), kinds_markdown(rule, heading), options_markdown(rule, heading))
    return f"{'#' * level} `{rule.id}`\n\n" + "\n\n".join(sections) + "\n"
