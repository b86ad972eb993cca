"""Findings: what every rule reports, and the one-line error for input that cannot be judged."""
from __future__ import annotations

from collections import namedtuple
from collections.abc import Callable, Iterable, Iterator

# The records on every hook's start-up path are named tuples, not dataclasses: importing
# `dataclasses` (and with it `inspect`) costs a hook a sixth of its run time.


class Finding(namedtuple("Finding", ("path", "line", "col", "rule", "message", "fails"), defaults=(True,))):
    """One problem at one place; printed as `path:line:col: rule message`.

    `path` (str), `line` and `col` (1-based int), `rule` (the hook id), `message` (what is wrong
    and the fix). A finding with `fails=False` is a note: printed, but it does not fail the hook
    (what a rule cannot judge statically, said plainly). Findings sort by place.
    """

    __slots__ = ()

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.col}: {self.rule} {self.message}"


class InputError(Exception):
    """A file that cannot be judged: unreadable, undecodable, too large, or not valid syntax."""

    def __init__(self, path: str, message: str, line: int = 1, col: int = 1) -> None:
        super().__init__(message)
        self.path = path
        self.message = message
        self.line = max(line, 1)
        self.col = max(col, 1)

    def finding(self, rule: str) -> Finding:
        # One line whatever the parser said: a multi-line reason would break the output grammar.
        reason = " ".join(self.message.split())
        return Finding(self.path, self.line, self.col, rule, f"error: {reason}")


def judged(rule: str, judge: Callable[[], Iterable[Finding]]) -> Iterator[Finding]:
    """Run one unit of judgement; an `InputError` becomes that unit's error finding.

    Rules call this once per file or project, so that one bad file does not hide the
    findings of the others.
    """
    try:
        yield from judge()
    except InputError as error:
        yield error.finding(rule)
