"""The verdict of the tool release a build pins, on a lock some releases accept: one judgement
`pipfile-lock` and `poetry-lock` share (a rule never imports another)."""

from __future__ import annotations

from collections import namedtuple
from collections.abc import Iterator

from hooks.findings import Finding, Fix, Location, finding
from hooks.models import tool_versions


class Tool(namedtuple("Tool", ("name", "eras", "current", "fresh", "refusal", "lock", "command"))):
    """How a rule speaks of its tool: `name` ("Poetry"), its hash `eras` table, the `current`
    eras, the word for an accepted lock ("fresh"), what the build does with a rejected one, the
    lock's file name and the command that rewrites it."""

    __slots__ = ()

    def accepted(self, eras: set[str]) -> str:
        """The releases that compute one of `eras` ("pipenv 2022.12.17 to 2026.2")."""
        return tool_versions.describe(self.name, tool_versions.era_span(self.eras, eras))


def judge(rule: str, tool: Tool, path: str, line: int, accepting: set[str], pin: tool_versions.Pin) -> Iterator[Finding]:
    """Stale for the pinned release when its era is not among the `accepting` ones; in step for it,
    with a note, when only releases older than the current one accept the lock."""
    era = tool_versions.era_of(tool.eras, pin.version)
    related = (Location(pin.path, pin.line, f"{tool.name} {pin.version}"),)
    if era not in accepting:
        fix = Fix(f"run `{tool.command}` with {tool.name} {pin.version} and commit {tool.lock}, or pin a {tool.name} that accepts the lock", tool.command)
        problem = f"is {tool.fresh} for {tool.accepted(accepting)}, but not for {tool.name} {pin.version}, {pin.where}: {tool.refusal}"
        yield finding(path, line, rule, "stale-for-pin", problem, fix, related=related)
    elif not accepting >= tool.current:
        others = {name for _, name in tool.eras} - accepting
        problem = f"is {tool.fresh} for {tool.name} {pin.version}, {pin.where} ({tool.accepted(accepting)} accept it); {tool.accepted(others)} would reject it"
        yield finding(path, line, rule, "in-sync-for-pin", problem, Fix("upgrade the pin and re-lock together"), fails=False, related=related)
