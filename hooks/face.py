"""What every command does at its edge: find the repository, normalise the paths it was given,
confine reading to the repository, print findings, and end with the right exit code.

Rules run with the repository root as the current directory and root-relative paths, so that
`lockguard /abs/repo`, `lockguard repo` and `lockguard ./repo/../repo` judge the same units and
print the same lines. A path outside the repository, or one that does not exist, is one error
line. A closed output pipe or Ctrl-C ends the command quietly, never with a traceback.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence

from hooks import reading
from hooks.findings import Finding, InputError
from hooks.repository import Repository, display

# Exit codes: 0 clean, 1 findings or errors, 130 interrupted (the shell's convention for SIGINT).
INTERRUPTED = 130


@contextlib.contextmanager
def at_repository(paths: Sequence[str], config: str | None = None, start: str | None = None) -> Iterator[tuple[list[str], str | None, list[InputError]]]:
    """Inside: the current directory is the repository root and reading is confined to it.

    Yields the given `paths` relative to the root (those outside it, or missing, become errors),
    `config` relative to the root, and the errors. The repository is the one holding `start`
    (default: the current directory, where pre-commit runs hooks).
    """
    repository = Repository.of(start or os.curdir)
    relative: list[str] = []
    errors: list[InputError] = []
    for path in paths:
        inside = repository.relative(path)
        if inside is None:
            errors.append(InputError(escape(path), "is outside the repository, so lockguard does not read it"))
        elif not os.path.lexists(path):
            errors.append(InputError(display(inside), "does not exist"))
        else:
            relative.append(display(inside))
    config_inside = None
    if config is not None:
        config_inside = repository.relative(config)
        if config_inside is None:
            errors.append(InputError(escape(config), "is outside the repository, so lockguard does not read it as its configuration"))
    previous = os.getcwd()
    os.chdir(repository.root)
    reading.confine(repository.root)
    try:
        yield relative, config_inside and display(config_inside), errors
    finally:
        reading.confine(None)
        os.chdir(previous)


def version() -> str:
    """The installed lockguard's version. `importlib.metadata` is imported here, when a version
    is asked for: on a hook's path it would cost every commit a few milliseconds."""
    from importlib import metadata

    try:
        return metadata.version("lockguard")
    except metadata.PackageNotFoundError:  # running from a checkout that was never installed
        return "0+unknown"


def escape(text: str) -> str:
    """`text` safe to print on one line: control characters (a newline in a file name would
    forge a finding line; an escape sequence would reach the terminal) and undecodable bytes
    are shown as escapes."""
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else c.encode("unicode_escape", "backslashreplace").decode("ascii") for c in text)


class OutputError(Exception):
    """Standard output could not be written (a full disk behind a redirection)."""


def write(text: str) -> None:
    """`text` on standard output; `OutputError` when it cannot be written."""
    _output(lambda: sys.stdout.write(text))


def _output(action: Callable[[], object]) -> None:
    """`action()` on standard output, its failure an `OutputError` (a closed pipe stays a
    BrokenPipeError, which `guarded` ends quietly)."""
    try:
        action()
    except BrokenPipeError:
        raise
    except OSError as error:
        raise OutputError(error.strerror or str(error)) from None


def report(findings: Iterable[Finding], out: Callable[[str], object] | None = None) -> int:
    """Print one line per finding; 1 when any fails, else 0."""
    code = 0
    for item in findings:
        (out or write)(f"{escape(str(item))}\n")
        code |= item.fails
    return int(code)


def guarded(run: Callable[[], int]) -> int:
    """`run()`, with a closed output pipe (`| head -1`) and Ctrl-C ending quietly, and output
    that cannot be written one line on standard error."""
    try:
        code = run()
        _output(sys.stdout.flush)  # what `write` buffered
        return code
    except OutputError as error:
        sys.stderr.write(f"lockguard: cannot write the findings to standard output: {error}\n")
        with contextlib.suppress(OSError):  # what is still buffered cannot be written either
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
        return 1
    except BrokenPipeError:
        # The reader has gone: point stdout at /dev/null so that the interpreter's final flush
        # does not fail again, and say nothing more.
        with contextlib.suppress(OSError):
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
        return 1
    except KeyboardInterrupt:
        sys.stderr.write("interrupted\n")
        return INTERRUPTED
