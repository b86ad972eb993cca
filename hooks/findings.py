"""Findings: what every rule reports, as data — and the one-line error for input that cannot be judged.

A finding has a stable `kind` (documented per rule in the catalogue), the `fix` (the edit in words
and the command where one does it) and the `related` places (the manifest line behind a lock
finding). Text output prints `path:line:col: rule message`; JSON and SARIF carry every field.
Code never branches on the words of a message.
"""

from __future__ import annotations

from collections import namedtuple
from collections.abc import Callable, Iterable, Iterator

# The records on every hook's start-up path are named tuples, not dataclasses: importing
# `dataclasses` (and with it `inspect`) costs a hook a sixth of its run time.

# Kinds every rule can report, beside its own (`Rule.kinds`).
ERROR = "error"
INTERNAL_ERROR = "internal-error"
COMMON_KINDS = {
    ERROR: "a file the rule needs cannot be read or parsed, or leaves the repository: it is not judged",
    INTERNAL_ERROR: "a bug in lockguard while judging this file or project: it fails the run, and the other files are still judged",
}


class Fix(namedtuple("Fix", ("text", "command"), defaults=(None,))):
    """What makes a finding go away: `text`, the step in words (it ends the message), and
    `command`, the shell command that does it where there is one (`pipenv lock`)."""

    __slots__ = ()


class Location(namedtuple("Location", ("path", "line", "label"), defaults=(1, ""))):
    """A place related to a finding: the manifest line a stale lock entry comes from."""

    __slots__ = ()


class Finding(namedtuple("Finding", ("path", "line", "col", "rule", "message", "fails", "kind", "fix", "related"), defaults=(True, "", None, ()))):
    """One problem at one place; printed as `path:line:col: rule message`.

    `path` (str, relative to the repository root), `line` and `col` (1-based int), `rule` (the
    hook id), `message` (what is wrong, ending with the fix in words), `kind` (stable, one of the
    rule's `kinds`), `fix` (a `Fix` or None), `related` (`Location`s). A finding with
    `fails=False` is a note: printed, but it does not fail the hook (what a rule cannot judge
    statically, said plainly).
    """

    __slots__ = ()

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.col}: {self.rule} {self.message}"

    @property
    def place(self) -> tuple[str, int, int, str, str]:
        """What findings sort by."""
        return (self.path, self.line, self.col, self.rule, self.message)


def finding(path: str, line: int, rule: str, kind: str, problem: str, fix: Fix | None = None, *, fails: bool = True, related: tuple[Location, ...] = (), joiner: str = ": ") -> Finding:
    """A finding whose message is `problem` followed by the fix's text: the fix is written once."""
    message = f"{problem}{joiner}{fix.text}" if fix is not None else problem
    return Finding(path, max(line, 1), 1, rule, message, fails, kind, fix, related)


def ordered(findings: Iterable[Finding]) -> list[Finding]:
    """Findings by place, each once. An unreadable file is one error line whichever rules needed
    it: errors are told apart by place and reason, not by rule."""
    unique: dict[tuple[str, int, int, str, str], Finding] = {}
    for item in sorted(findings, key=lambda f: f.place):
        key = (item.path, item.line, item.col, "" if item.kind == ERROR else item.rule, item.message)
        unique.setdefault(key, item)
    return list(unique.values())


class InputError(Exception):
    """A file that cannot be judged: unreadable, undecodable, too large, not valid syntax, or
    outside the repository."""

    def __init__(self, path: str, message: str, line: int = 1, col: int = 1) -> None:
        super().__init__(message)
        self.path = path
        self.message = message
        self.line = max(line, 1)
        self.col = max(col, 1)

    def finding(self, rule: str) -> Finding:
        # One line whatever the parser said: a multi-line reason would break the output grammar.
        reason = " ".join(self.message.split())
        return Finding(self.path, self.line, self.col, rule, f"error: {reason}", True, ERROR)


def judged(rule: str, judge: Callable[[], Iterable[Finding]]) -> Iterator[Finding]:
    """Run one unit of judgement; an `InputError` becomes that unit's error finding, so that one
    bad file does not hide the findings of the others."""
    try:
        yield from judge()
    except InputError as error:
        yield error.finding(rule)
