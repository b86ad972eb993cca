"""pip requirements and constraints files, parsed by pip's own rules into plain data.

pip-requirements-parser is pip's parser lifted out of pip; it reads the file itself, so its
reader is routed through `reading.read_text` (size cap, encodings, one-line errors). It costs
about a tenth of a millisecond a line, and two of its patterns and its split of a line's options
are quadratic: what it is given is bounded (lines, characters), and those three are replaced by
linear equivalents.
"""

from __future__ import annotations

import functools
import re
from collections import namedtuple

from hooks import reading
from hooks.findings import InputError
from hooks.models import pinning, plain_pep508

# `# lockguard: allow-unpinned` anywhere in a line's comment. From each line's first `#` only:
# `#.*\blockguard…` would run `.*` to the end from every `#` of a line of hashes.
ALLOW_MARKER = re.compile(r"^[^#\n]*#.*?\blockguard:\s*allow-unpinned\b", re.MULTILINE)


def _allowed(line: str) -> bool:
    # The substring test first: a C loop over a long line, where the pattern steps in Python's
    # regular-expression engine.
    return "lockguard:" in line and ALLOW_MARKER.search(line) is not None


# The largest real requirements files have a few thousand lines (pip-compile with hashes); the
# lines only pip's parser reads (options, URLs, markers, ranges) a few hundred.
MAX_LINES = 100_000
MAX_PIP_LINES = 5_000
MAX_PIP_CHARACTERS = 2 * 1024 * 1024
# What `str.splitlines` (and so pip) takes for the end of a line.
_LINE_BREAKS = "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"


@functools.lru_cache(maxsize=None)
def _pip():
    """pip-requirements-parser, imported on first need (a file with a line the fast reading
    leaves to pip): its import costs about as much as the rest of a run."""
    import pip_requirements_parser

    pip_requirements_parser.get_file_content = _read_for_pip
    pip_requirements_parser.get_line_parser = lambda: _parse_line
    # Linear equivalents of two backtracking patterns (`tests/hostile` holds them equal).
    pip_requirements_parser.COMMENT_RE = _COMMENT_RE
    pip_requirements_parser._strip_extras = functools.partial(_strip_extras, pip_requirements_parser._strip_extras)
    return pip_requirements_parser


# pip's `(^|\s+)(#.*)$` finds a comment: searched in a line, `\s+` runs to the end of every
# whitespace run from each of its positions (quadratic in a run of spaces). This finds the same
# `#` (the first at the start or after whitespace): the whitespace before it, dropped by pip's
# strip, is no longer part of the match.
_COMMENT_RE = re.compile(r"(^\s*|(?<=\s))(#.*)$")


def _strip_extras(original, path: str) -> tuple[str, str | None]:
    r"""pip's `_strip_extras`: `path` without a final `[extras]`, and the extras. pip matches
    `^(.+)(\[[^\]]+\])$`, which retries from every `[` (quadratic in a line of brackets); this finds
    the same split by position: the last `[` after the last inner `]`, with something before it."""
    if "\n" in path:
        return original(path)  # `.` stops at a newline: pip's own reading (never from a line)
    close = len(path) - 1
    if not path.endswith("]"):
        return path, None
    start = path.rfind("[", max(path.rfind("]", 0, close) + 1, 1), close - 1)
    if start == -1:
        return path, None
    return path[:start], path[start:]


def _read_for_pip(filename: str) -> str:
    # Lines `parse` has already read itself are blanked: line numbers stay, pip skips them.
    pending = _pending_text.get(filename)
    return pending if pending is not None else reading.read_text(filename)


_pending_text: dict[str, str] = {}


@functools.lru_cache(maxsize=None)
def _option_parser():
    parser = _pip().build_parser()
    return parser, vars(parser.get_default_values())


def _parse_line(line: str):
    # pip builds a new option parser for every line, two thirds of the parse time of a large
    # file. One parser serves every line when each line gets its own copy of the defaults
    # (what building it anew protects: appendable options accumulating across lines).
    parser, base = _option_parser()
    # Every mutable default is a list (all empty): a fresh copy of each is a fresh start.
    import optparse  # with the gettext it imports: only for a line pip reads

    defaults = optparse.Values({name: list(value) if isinstance(value, list) else value for name, value in base.items()})
    args, options = _break_args_options(line)
    values, arguments = parser.parse_args(split_options(options), defaults)
    return args, values, arguments


def _break_args_options(line: str) -> tuple[str, str]:
    """pip's split of a line into the requirement and its options (from the first word that
    starts with `-`), without pip's `list.pop(0)` per word: quadratic in a line of many spaces."""
    first_option = _FIRST_OPTION.search(line)
    if first_option is None:
        return line, ""
    start = first_option.start()
    return line[: max(start - 1, 0)], line[start:]


_FIRST_OPTION = re.compile(r"(?:^|(?<= ))-")


def split_options(options: str) -> list[str]:
    """`shlex.split`, which is slow on long `--hash` lists; without quotes or backslashes it is
    splitting on shlex's whitespace."""
    if "'" in options or '"' in options or "\\" in options:
        import shlex  # only for options with quotes or backslashes

        return shlex.split(options)
    return [token for token in _SHLEX_WHITESPACE.split(options) if token]


_SHLEX_WHITESPACE = re.compile(r"[ \t\r\n]+")


class Requirement(namedtuple("Requirement", ("line", "text", "name", "specifier", "url", "editable", "hashes", "is_local", "allowed"))):
    """One requirement: its `line`; `text` as pip read it (continuations joined, comment
    removed); `name` (None for a bare URL or path); `specifier` ("" when none); `url` (a direct
    reference or local path, as written, or None); `editable`; `hashes` (tuple); `is_local`;
    `allowed` when the line carries `# lockguard: allow-unpinned`."""

    __slots__ = ()


Include = namedtuple("Include", ("line", "kind", "target"))  # kind "-r" or "-c", target as written
Invalid = namedtuple("Invalid", ("line", "reason"))
# `require_hashes`: the file itself says `--require-hashes`.
RequirementsFile = namedtuple("RequirementsFile", ("path", "requirements", "includes", "invalid", "require_hashes"))


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


# The shapes of line that make up most real files (`pip freeze`, pip-compile with hashes), read
# without pip's machinery: a few regular expressions instead of an option parser, a PEP 508
# parser and a SpecifierSet per line. Anything else (options, URLs, markers, `${VAR}`, odd
# spacing) is left to pip-requirements-parser. `tests/models_requirements_test.py` holds the
# two readings equal on every real file and on generated ones.
_NAME = r"[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?"
# A marker (what `poetry export` and `uv export` write on most lines) is read when it is plain
# (`plain_pep508.marker`: comparisons joined by `and`/`or`), and holds no `#` or `\`.
_PIN = rf"(?P<name>{_NAME})(?P<extras>\[[A-Za-z0-9._, -]*\])?[ \t]*==[ \t]*(?P<version>[A-Za-z0-9.+!_-]+)(?:[ \t]*;(?P<marker>[^#\\;]*[^#\\; \t]))?"
_SIMPLE_PIN = re.compile(rf"^{_PIN}(?:[ \t]+#.*|[ \t]*)$")
_HASHED_PIN_START = re.compile(rf"^{_PIN}[ \t]+\\$")
# The app's own code (`-e .`, `-e ./libs/x`) and a VCS reference at a full commit
# (`git+https://host/repo.git@<40 hex>#egg=name`, editable or not): read as pip reads them.
_EDITABLE_LOCAL = re.compile(r"^-e[ \t]+(?P<path>\.\.?(?:/[A-Za-z0-9._-]+)*)(?:[ \t]+#.*|[ \t]*)$")
_VCS_AT_COMMIT = re.compile(rf"^(?P<editable>-e[ \t]+)?(?P<url>git\+https://[A-Za-z0-9.-]+(?:/[A-Za-z0-9._~-]+)+@[0-9a-f]{{40}}#egg=(?P<name>{_NAME}))(?:[ \t]+#.*|[ \t]*)$")
_HASH_LINE = re.compile(r"^[ \t]+--hash=(?P<hash>[A-Za-z0-9]+:[0-9a-fA-F]+)[ \t]*(?P<more>\\)?$")
_BLANK_OR_COMMENT = re.compile(r"^[ \t]*(?:#.*)?$")


def _read_simple_lines(lines: list[str]) -> tuple[list[Requirement], set[int]]:
    """The requirements on simple lines, and the indexes of every line read (blank, comment or
    requirement), which pip then need not read."""
    found: list[Requirement] = []
    claimed: set[int] = set()
    index = 0
    while index < len(lines):
        line = lines[index]
        if index and lines[index - 1].endswith("\\"):
            index += 1  # a continuation of a line pip reads: leave the whole join to pip
            continue
        if _BLANK_OR_COMMENT.match(line) and not line.endswith("\\"):
            claimed.add(index)
            index += 1
            continue
        # A line ending in `\` (even inside a comment) is joined with the next one: pip's reading.
        match = _SIMPLE_PIN.match(line) if not line.endswith("\\") else None
        group = [index]
        hashes: list[str] = []
        if match is None:
            match = _HASHED_PIN_START.match(line)
            if match is not None:
                following = index + 1
                while following < len(lines):
                    hash_line = _HASH_LINE.match(lines[following])
                    if hash_line is None:
                        break
                    group.append(following)
                    hashes.append(hash_line["hash"])
                    following += 1
                    if not hash_line["more"]:
                        break
                else:
                    match = None  # the file ends inside the continuation
                if match is not None and (not hashes or lines[group[-1]].endswith("\\")):
                    match = None
        if match is None and not line.endswith("\\"):
            reference = _plain_reference(index + 1, line)
            if reference is not None:
                found.append(reference)
                claimed.add(index)
                index += 1
                continue
        if match is None or not pinning.is_version(match["version"]) or (match["marker"] is not None and plain_pep508.marker(match["marker"]) is None):
            index += 1
            continue
        words = line.rstrip("\\").split() if hashes else line.split("#", 1)[0].split()
        words += [f"--hash={digest}" for digest in hashes]
        found.append(
            Requirement(
                line=index + 1,
                text=" ".join(words),
                name=match["name"],
                specifier=f"=={match['version']}",
                url=None,
                editable=False,
                hashes=tuple(hashes),
                is_local=False,
                allowed=_allowed(line),
            )
        )
        claimed.update(group)
        index = group[-1] + 1
    return found, claimed


def _plain_reference(number: int, line: str) -> Requirement | None:
    """The requirement on a line of the app's own code or of a VCS reference at a full commit."""
    local = _EDITABLE_LOCAL.match(line)
    if local is not None:
        return Requirement(number, f"-e {local['path']}", None, "", local["path"], True, (), True, _allowed(line))
    vcs = _VCS_AT_COMMIT.match(line)
    if vcs is not None:
        editable = vcs["editable"] is not None
        return Requirement(number, ("-e " if editable else "") + vcs["url"], vcs["name"], "", vcs["url"], editable, (), False, _allowed(line))
    return None


# Parsed files, kept with the text they were parsed from: a file changed during the run
# (its text re-read) is parsed again.
_parsed: dict[str, tuple[str, RequirementsFile]] = {}


def parse(path: str) -> RequirementsFile:
    """Parse one file (not its includes). Raises `InputError` when the file cannot be read."""
    text = reading.read_text(path)
    cached = _parsed.get(path)
    if cached is not None and cached[0] is text:
        return cached[1]
    result = _parse(path, text, fast=True)
    _parsed[path] = (text, result)
    return result


def parse_lines(path: str, lines: dict[int, str]) -> RequirementsFile:
    """Requirement lines that live inside another file (the `pip:` list of a conda
    environment), parsed by pip's rules with their own line numbers; `path` names that file."""
    last = max(lines, default=0)
    text = "\n".join(lines.get(number, "") for number in range(1, last + 1)) + "\n"
    return _parse(path, text, fast=True)


def _line_count(text: str) -> int:
    return sum(text.count(character) for character in _LINE_BREAKS) + 1


def _for_pip(path: str, lines: list[str], claimed: set[int]) -> str:
    """The text pip must read: the lines the fast reading did not claim, the others blank (line
    numbers stay); `InputError` when it is more than pip's parser reads in a second."""
    pending = [line if index not in claimed else "" for index, line in enumerate(lines)]
    # A continuation line is part of the requirement above it: only first lines count.
    starts = sum(1 for index, line in enumerate(pending) if line.strip() and not (index and pending[index - 1].endswith("\\")))
    characters = sum(len(line) for line in pending)
    if starts > MAX_PIP_LINES or characters > MAX_PIP_CHARACTERS:
        raise InputError(
            path,
            f"has {starts:,} lines ({characters:,} characters) that only pip's own parser reads (options, URLs, markers, ranges); "
            f"lockguard hands it at most {MAX_PIP_LINES:,} lines of {MAX_PIP_CHARACTERS:,} characters (pinned `name==version` lines do not count)",
        )
    return "\n".join(pending)


def _parse(path: str, text: str, fast: bool) -> RequirementsFile:
    count = _line_count(text)
    if count > MAX_LINES:
        raise InputError(path, f"has {count:,} lines, over lockguard's limit of {MAX_LINES:,} for a requirements file (the largest real ones have a few thousand)")
    lines = text.split("\n")
    simple, claimed = _read_simple_lines(lines) if fast else ([], set())
    if len(claimed) == len(lines):
        return RequirementsFile(path, tuple(simple), (), (), False)
    _pending_text[path] = _for_pip(path, lines, claimed)
    try:
        parsed = _pip().RequirementsFile.from_file(path, include_nested=False)
    finally:
        del _pending_text[path]
    allowed_lines = {comment.line_number for comment in parsed.comments if _allowed(comment.line)}
    requirements = list(simple)
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
    requirements.sort(key=lambda requirement: requirement.line)
    return RequirementsFile(path, tuple(requirements), tuple(includes), invalid, require_hashes)
