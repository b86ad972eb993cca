"""Shell scripts as commands: an app's hooks and start commands split into simple commands, each
with its line, the place it runs from, and the directory `cd` left it in.

Nothing here runs a shell: scripts are lexed as POSIX `sh` words (quotes, comments, backslash
continuations), split at `&&`, `||`, `;`, `|` and `&`, and `cd` is followed inside the app. A
command that runs a shell script (`./x.sh`, `$PLATFORM_APP_DIR/x.sh`, `/app/x.sh`, `bash x`,
`sh x`, `. x`, `source x`) names it, so that the app model can follow it.
"""

from __future__ import annotations

import os
import re
import shlex
from collections.abc import Iterator
from typing import NamedTuple

MANAGERS = ("pip", "pipenv", "poetry", "uv", "pdm")
# Programs that run a script file named as their first argument; `.` and `source` run it in the
# calling shell itself.
INTERPRETERS = ("sh", "bash", "dash", "source", ".")
SOURCING = (".", "source")
# The app root as hooks spell it: $PLATFORM_APP_DIR, and /app, where the platform mounts the app.
_APP_DIR = re.compile(r"^(\$\{?PLATFORM_APP_DIR\}?|/app)(/|$)")


class Command(NamedTuple):
    """A simple command of a script. A named tuple, not a dataclass: `dataclasses` (with
    `inspect`) would cost every platform rule several milliseconds of start-up."""

    words: tuple[str, ...]
    line: int  # in `source`
    source: str  # the config file (or the included script) holding it
    where: str  # "hooks.build", "web.commands.start", "workers.queue.commands.start", …
    cwd: str  # the app-root-relative directory it runs in ("" = the root)
    position: int  # its position in its script (a tuple has `index` already)
    via: Command | None = None  # the command that ran the script holding it, if any

    @property
    def text(self) -> str:
        return " ".join(self.words)

    def _effective(self) -> list[str]:
        """The words from the program on: `sudo`, `env`, `X=1` and `python3.12 -m` left out."""
        words = list(self.words)
        while words and ("=" in words[0] and not words[0].startswith("-") or words[0] in ("sudo", "env", "exec", "time", "command")):
            words.pop(0)
        if len(words) >= 3 and re.match(r"^(.*/)?python[0-9.]*$", words[0]) and words[1] == "-m":
            words = words[2:]
        return words

    @property
    def program(self) -> str:
        """The program run, without its path (`pip` for `python3.12 -m pip`)."""
        words = self._effective()
        return os.path.basename(words[0]) if words else ""

    @property
    def arguments(self) -> tuple[str, ...]:
        return tuple(self._effective()[1:])

    def unwrapped(self) -> Command:
        """The command `pipenv run …`, `poetry run …`, `uv run …` or `pdm run …` runs (itself otherwise)."""
        words = list(self.words)
        if len(words) >= 3 and os.path.basename(words[0]) in ("pipenv", "poetry", "uv", "pdm") and words[1] == "run":
            words = words[2:]
            while words and words[0].startswith("-"):
                words.pop(0)
            if words:
                return self._replace(words=tuple(words))
        return self

    @property
    def manager(self) -> str | None:
        """pip, pipenv, poetry, uv or pdm when this command runs one (`pip3.12` is pip)."""
        program = self.program.rstrip("0123456789.")  # linear, where a `[0-9.]+$` search is not
        return program if program in MANAGERS else None

    @property
    def script(self) -> str | None:
        """The shell script file this command runs (`./install.sh`, `bash ../x.sh`,
        `. scripts/env`, `$PLATFORM_APP_DIR/build.sh`), as written, or None (also when the
        shell reads a string or standard input: `sh -c '…'`, `curl … | sh`)."""
        words = list(self.words)
        if words and words[0] in INTERPRETERS:
            words = words[1:]
            while words and words[0].startswith("-"):
                if words[0] == "-" or "c" in words[0] or "s" in words[0]:
                    return None
                words.pop(0)
            target = words[0] if words else None
        else:
            target = words[0] if words and words[0].endswith(".sh") else None
        if target is None or not re.match(r"^[\w./-]+$", _APP_DIR.sub("", target) or "."):
            return None
        return target

    @property
    def sourced(self) -> bool:
        """Does this command run a script in the calling shell (`. x`, `source x`)?"""
        return bool(self.words) and self.words[0] in SOURCING

    def script_path(self) -> str | None:
        """The script this command runs, relative to the app root: an `$PLATFORM_APP_DIR/` or
        `/app/` prefix is the app root, any other path is relative to where the command runs
        (an absolute one stays absolute: outside the repository)."""
        script = self.script
        if script is None:
            return None
        if _APP_DIR.match(script):
            return os.path.normpath(_APP_DIR.sub("", script) or ".")
        return os.path.normpath(os.path.join(self.cwd, script))


_OPERATORS = {"&&", "||", ";", "|", "&", ";;", "(", ")", "|&"}


def split_script(script: str, first_line: int, source: str, where: str, via: Command | None = None) -> list[Command]:
    """A hook script as commands: one per simple command (`&&`, `;`, `|` split), comments out,
    backslash continuations joined, each with its line and the directory `cd` left it in. A
    script run by the command `via` starts in the directory `via` runs in."""
    commands: list[Command] = []
    cwd = via.cwd if via is not None else ""
    lines = script.split("\n")
    index = 0
    number = 0
    while number < len(lines):
        start = number
        text = lines[number]
        while text.endswith("\\") and number + 1 < len(lines):
            number += 1
            text = text[:-1] + " " + lines[number]
        number += 1
        for words in _simple_commands(text):
            if words[0] == "cd":
                cwd = _cd(cwd, words[1] if len(words) > 1 else "")
            commands.append(Command(tuple(words), first_line + start, source, where, cwd, index, via))
            index += 1
    return commands


def _simple_commands(text: str) -> Iterator[list[str]]:
    lexer = shlex.shlex(text, posix=True, punctuation_chars=True)
    lexer.whitespace_split = True
    lexer.commenters = "#"
    try:
        tokens = list(lexer)
    except ValueError:  # an unbalanced quote: fall back to plain words
        tokens = text.split("#", 1)[0].split()
    words: list[str] = []
    redirected = False
    for token in tokens:
        if redirected:  # the file of a redirection (`> install.log`) is not an argument
            redirected = False
            continue
        if token and set(token) <= set("<>&") and set(token) & set("<>"):
            redirected = True
            if words and words[-1].isdigit():  # `2>&1`: the descriptor is not an argument either
                words.pop()
            continue
        if token in _OPERATORS:
            if words:
                yield words
            words = []
        else:
            words.append(token)
    if words:
        yield words


def _cd(cwd: str, target: str) -> str:
    """The app-root-relative directory after `cd target` from `cwd` ("" is the app root, also
    where the target leaves the app or cannot be followed: another absolute path, `~`, `-`, a
    variable other than $PLATFORM_APP_DIR)."""
    target = re.sub(r"^(\$\{?PLATFORM_APP_DIR\}?|/app)(/|$)", "", target)
    if target.startswith("/") or target in ("", "~", "-") or "$" in target:
        return ""
    joined = os.path.normpath(os.path.join(cwd, target)).replace(os.sep, "/")
    return "" if joined == "." or joined == ".." or joined.startswith("../") else joined
