"""Configuration: `[tool.lockguard]` in the repository's root pyproject.toml, then hook args.

    [tool.lockguard]
    exclude = ["legacy/*"]            # paths no rule judges
    ignore = ["uv-lock"]              # rules the `lockguard` command skips

    [tool.lockguard.requirements-pinned]
    no-local-paths = true             # any option the rule lists
    exclude = ["docs/requirements.txt"]

Patterns are shell-style (`fnmatch`, where `*` also crosses `/`) matched against the
forward-slash path relative to the repository root; a pattern naming a directory covers
everything below it. An unknown key, rule id or value type is an error, never ignored.
"""

from __future__ import annotations

import os
import re
from collections import namedtuple
from types import SimpleNamespace

from hooks import reading
from hooks.catalogue import BY_ID, Rule
from hooks.findings import InputError

# Imported for type checkers only: `typing` costs a hook several milliseconds of start-up.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from hooks.catalogue import OptionValue

CONFIG_FILE = "pyproject.toml"
_TOP_KEYS = {"exclude", "ignore"}


class Settings(namedtuple("Settings", ("exclude", "ignore", "rule_tables"), defaults=((), (), None))):
    """`exclude` and `ignore` (tuples of str) and each rule's table (`{rule id: {key: value}}`)."""

    __slots__ = ()

    @property
    def tables(self) -> dict[str, dict[str, Any]]:
        return self.rule_tables or {}

    def excluded(self, rule: Rule, path: str) -> bool:
        patterns = self.exclude + tuple(self.tables.get(rule.id, {}).get("exclude", ()))
        return matches_any(path, patterns)

    def options(self, rule: Rule, overrides: dict[str, OptionValue | None] | None = None) -> SimpleNamespace:
        """The rule's options: catalogue defaults < pyproject < `overrides` (hook args)."""
        table = self.tables.get(rule.id, {})
        values: dict[str, OptionValue] = {}
        for option in rule.options:
            values[option.attribute] = table.get(option.name, option.default)
        for name, value in (overrides or {}).items():
            if value is not None:
                values[name] = value
        return SimpleNamespace(**values)


def matches_any(path: str, patterns: tuple[str, ...]) -> bool:
    if not patterns:
        return False
    import fnmatch  # only configurations with exclusions need it

    path = os.path.normpath(path).replace(os.sep, "/")
    parents = [path]
    while "/" in parents[-1]:
        parents.append(parents[-1].rpartition("/")[0])
    return any(fnmatch.fnmatchcase(candidate, pattern.rstrip("/")) for pattern in patterns for candidate in parents)


def _line_of(text: str, key: str) -> int:
    """The first line mentioning `key` in a `[tool.lockguard…]` table, for the error's position."""
    in_table = False
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if stripped.startswith("["):
            in_table = stripped.startswith("[tool.lockguard")
            if in_table and key in stripped:
                return number
        elif in_table and re.match(rf"""["']?{re.escape(key)}["']?\s*=""", stripped):
            return number
    # `lockguard = 3` under `[tool]`: the key outside a lockguard table.
    for number, line in enumerate(text.splitlines(), start=1):
        if re.match(rf"""\s*["']?{re.escape(key)}["']?\s*=""", line):
            return number
    return 1


def _patterns(path: str, text: str, where: str, key: str, value: Any) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise InputError(path, f"`{where}.{key}` must be a list of strings", _line_of(text, key))
    return tuple(value)


def load(path: str = CONFIG_FILE) -> Settings:
    """Settings from `path`; defaults when the file does not exist or has no `[tool.lockguard]`."""
    if not os.path.lexists(path):
        return Settings()
    text = reading.read_text(path)
    tool = reading.read_toml(path).get("tool", {})  # parsed once a run, shared with the rules
    # Another tool's broken table is not lockguard's to report: only `tool.lockguard` is read.
    table = tool.get("lockguard", {}) if isinstance(tool, dict) else {}
    if not isinstance(table, dict):
        raise InputError(path, "`tool.lockguard` must be a table", _line_of(text, "lockguard"))
    exclude: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    rule_tables: dict[str, dict[str, Any]] = {}
    for key, value in table.items():
        if key == "exclude":
            exclude = _patterns(path, text, "tool.lockguard", key, value)
        elif key == "ignore":
            ignore = _patterns(path, text, "tool.lockguard", key, value)
            unknown = [rule_id for rule_id in ignore if rule_id not in BY_ID]
            if unknown:
                raise InputError(path, f"`tool.lockguard.ignore` names unknown rule {unknown[0]!r}", _line_of(text, "ignore"))
        elif key in BY_ID:
            rule_tables[key] = _rule_table(path, text, BY_ID[key], value)
        else:
            known = ", ".join(sorted(_TOP_KEYS) + sorted(BY_ID))
            raise InputError(path, f"unknown key `tool.lockguard.{key}` (known: {known})", _line_of(text, key))
    return Settings(exclude, ignore, rule_tables)


def _rule_table(path: str, text: str, rule: Rule, value: Any) -> dict[str, Any]:
    where = f"tool.lockguard.{rule.id}"
    if not isinstance(value, dict):
        raise InputError(path, f"`{where}` must be a table", _line_of(text, rule.id))
    options = {option.name: option for option in rule.options}
    result: dict[str, Any] = {}
    for key, item in value.items():
        if key == "exclude":
            result[key] = _patterns(path, text, where, key, item)
        elif key in options:
            kind = options[key].kind
            if type(item) is not kind:
                raise InputError(path, f"`{where}.{key}` must be a {kind.__name__}, not {item!r}", _line_of(text, key))
            result[key] = item
        else:
            known = ", ".join(["exclude", *sorted(options)])
            raise InputError(path, f"unknown key `{where}.{key}` (known: {known})", _line_of(text, key))
    return result
