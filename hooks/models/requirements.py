"""pip requirements and constraints files, parsed by pip's own rules into plain data.

pip-requirements-parser is pip's parser lifted out of pip; it reads the file itself, so its
reader is routed through `reading.read_text` (size cap, encodings, one-line errors).
"""
from __future__ import annotations

import functools
import optparse
import re
import shlex
from dataclasses import dataclass

import pip_requirements_parser as pip_parser

from hooks import reading

ALLOW_MARKER = re.compile(r"#.*\blockguard:\s*allow-unpinned\b")


def _read_for_pip(filename: str) -> str:
    return reading.read_text(filename)


@functools.lru_cache(maxsize=None)
def _option_parser():  # type: ignore[no-untyped-def]
    parser = pip_parser.build_parser()
    return parser, vars(parser.get_default_values())


def _parse_line(line: str):  # type: ignore[no-untyped-def]
    # pip builds a new option parser for every line, two thirds of the parse time of a large
    # file. One parser serves every line when each line gets its own copy of the defaults
    # (what building it anew protects: appendable options accumulating across lines).
    parser, base = _option_parser()
    # Every mutable default is a list (all empty): a fresh copy of each is a fresh start.
    defaults = optparse.Values({name: list(value) if isinstance(value, list) else value for name, value in base.items()})
    args, options = pip_parser.break_args_options(line)
    values, arguments = parser.parse_args(split_options(options), defaults)
    return args, values, arguments


def split_options(options: str) -> list[str]:
    """`shlex.split`, which is slow on long `--hash` lists; without quotes or backslashes it is
    splitting on shlex's whitespace."""
    if "'" in options or '"' in options or "\\" in options:
        return shlex.split(options)
    return [token for token in _SHLEX_WHITESPACE.split(options) if token]


_SHLEX_WHITESPACE = re.compile(r"[ \t\r\n]+")


pip_parser.get_file_content = _read_for_pip
pip_parser.get_line_parser = lambda: _parse_line


@dataclass(frozen=True)
class Requirement:
    line: int
    text: str  # the requirement as pip read it: continuations joined, comment removed
    name: str | None  # None for a bare URL or path without a name
    specifier: str  # "" when none
    url: str | None  # a direct reference or local path, as written
    editable: bool
    hashes: tuple[str, ...]
    is_local: bool
    allowed: bool  # carries `# lockguard: allow-unpinned`


@dataclass(frozen=True)
class Include:
    line: int
    kind: str  # "-r" or "-c"
    target: str  # as written


@dataclass(frozen=True)
class Invalid:
    line: int
    reason: str


@dataclass(frozen=True)
class RequirementsFile:
    path: str
    requirements: tuple[Requirement, ...]
    includes: tuple[Include, ...]
    invalid: tuple[Invalid, ...]
    require_hashes: bool  # the file itself says `--require-hashes`


def _is_local(url: str) -> bool:
    """A path or `file:` URL: the app's own code or a file in the checkout, not a download."""
    scheme = re.match(r"^([a-zA-Z][a-zA-Z0-9+.-]*):", url)
    # A one-letter "scheme" is a Windows drive (`C:\\pkg`).
    return scheme is None or len(scheme[1]) == 1 or scheme[1].lower() == "file"


def _reason(message: str) -> str:
    # pip's messages span lines (the line again, a caret): keep the first sentence.
    first = message.strip().splitlines()[0] if message.strip() else "cannot be parsed"
    # pip quotes the line between two colons; with the line left out, `: :` remains.
    return re.sub(r":\s*:", ":", " ".join(first.split())).rstrip(":")


def parse(path: str) -> RequirementsFile:
    """Parse one file (not its includes). Raises `InputError` when the file cannot be read."""
    parsed = pip_parser.RequirementsFile.from_file(path, include_nested=False)
    allowed_lines = {comment.line_number for comment in parsed.comments if ALLOW_MARKER.search(comment.line)}
    requirements = []
    for requirement in parsed.requirements:
        link = requirement.link
        requirements.append(
            Requirement(
                line=requirement.line_number,
                text=" ".join(requirement.line.split()),
                name=requirement.name,
                specifier=str(requirement.specifier or ""),
                url=link.url if link else None,
                editable=bool(requirement.is_editable),
                hashes=tuple(requirement.hash_options or ()),
                is_local=bool(link) and _is_local(link.url),
                allowed=requirement.line_number in allowed_lines,
            )
        )
    includes = []
    require_hashes = False
    for option in parsed.options:
        for target in option.options.get("requirements", ()):
            includes.append(Include(option.line_number, "-r", target))
        for target in option.options.get("constraints", ()):
            includes.append(Include(option.line_number, "-c", target))
        require_hashes |= bool(option.options.get("require_hashes"))
    invalid = tuple(Invalid(line.line_number, _reason(line.error_message)) for line in parsed.invalid_lines)
    return RequirementsFile(path, tuple(requirements), tuple(includes), invalid, require_hashes)
