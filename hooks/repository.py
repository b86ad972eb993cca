"""The repository: where lockguard runs, the boundary of what it reads, and how it names paths.

The root is the git work tree's top (found by looking for `.git`, without running git), else
the checked directory. Every path a hook or `lockguard` is given is normalised once, here:
absolute, relative, `..` and symlinked spellings of one file become one forward-slash path
relative to the root, which is what findings print (and what GitHub annotations and SARIF
expect). Nothing outside the root is read: `reading` refuses a file whose real path, symlinks
and `..` resolved, leaves it.
"""

from __future__ import annotations

import os
from collections import namedtuple


def work_tree_top(directory: str) -> str | None:
    """The nearest directory at or above `directory` holding `.git` (a directory, or the file a
    worktree or submodule has), or None."""
    current = os.path.realpath(directory)
    while True:
        if os.path.lexists(os.path.join(current, ".git")):
            return current
        parent = os.path.dirname(current)
        if parent == current:
            return None
        current = parent


class Repository(namedtuple("Repository", ("root",))):
    """`root`: the real, absolute path of the repository's top directory."""

    __slots__ = ()

    @classmethod
    def of(cls, path: str) -> Repository:
        """The repository holding `path`: its git work tree, else `path` itself (or its folder)."""
        directory = path if os.path.isdir(path) else os.path.dirname(path) or os.curdir
        return cls(work_tree_top(directory) or os.path.realpath(directory))

    def relative(self, path: str) -> str | None:
        """`path` (relative to the current directory) relative to the root, or None outside it.

        The folders are resolved (a symlinked checkout, `..`), the last component is kept as
        written: a symlinked file is judged under its own name, and read only if its target is
        inside the repository too.
        """
        absolute = os.path.abspath(path)
        folder, name = os.path.split(absolute)
        real = os.path.join(os.path.realpath(folder), name) if name else os.path.realpath(absolute)
        if real == self.root:
            return os.curdir
        if not real.startswith(os.path.join(self.root, "")):
            return None
        return os.path.relpath(real, self.root)

    def contains(self, path: str) -> bool:
        """Is the real path of `path` (every symlink followed) inside the root?"""
        real = os.path.realpath(path)
        return real == self.root or real.startswith(os.path.join(self.root, ""))


def display(path: str) -> str:
    """A root-relative path as findings print it: forward slashes, no leading `./`."""
    return os.path.normpath(path).replace(os.sep, "/")
