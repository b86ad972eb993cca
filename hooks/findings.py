"""Findings: what every rule reports, and the one-line error for input that cannot be judged."""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Callable


@dataclass(frozen=True, order=True)
class Finding:
    """One problem at one place; printed as `path:line:col: rule message`.

    A finding with `fails=False` is a note: printed, but it does not fail the hook (what a rule
    cannot judge statically, said plainly).
    """

    path: str
    line: int
    col: int
    rule: str
    message: str
    fails: bool = True

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
