"""Project discovery: map the paths pre-commit passes to the project directories they belong to.

A rule that judges files in pairs (a manifest and its lock) groups the paths it is given by
directory, judges each directory once, and reads the partner file from disk: so it sees both
files whichever of them pre-commit passed, and a monorepo needs one hook entry, not one per
sub-project.
"""
from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator

from hooks.findings import Finding, judged


def by_directory(paths: Iterable[str]) -> dict[str, list[str]]:
    """`{directory: [paths in it]}`, directories in first-seen order; the top level is `.`."""
    groups: dict[str, list[str]] = {}
    for path in paths:
        directory = os.path.dirname(os.path.normpath(path)) or os.curdir
        groups.setdefault(directory, []).append(path)
    return groups


def judge_directories(rule: str, paths: Iterable[str], judge: Callable[[str], Iterable[Finding]]) -> Iterator[Finding]:
    """`judge(directory)` once for each directory holding one of `paths`; an unreadable file
    becomes that directory's error line, and the others are still judged."""
    for directory in by_directory(paths):
        yield from judged(rule, lambda: judge(directory))


def project_of(path: str) -> str:
    """The project directory of a manifest: its directory, or the parent of a `requirements/`
    folder (where `requirements/base.txt` belongs to the project beside that folder)."""
    directory = os.path.dirname(os.path.normpath(path)) or os.curdir
    parts = directory.replace(os.sep, "/").split("/")
    if "requirements" in parts:
        parent = "/".join(parts[: parts.index("requirements")])
        return parent or os.curdir
    return directory


def join(directory: str, name: str) -> str:
    """A path for display: `name` inside `directory`, without a leading `./`."""
    return name if directory in ("", os.curdir) else os.path.join(directory, name)
