"""Safe reading: the only way lockguard reads an input file.

Every failure (missing, a directory, a dangling symlink, unreadable, too large, undecodable,
NUL bytes, bad syntax) becomes an `InputError` naming the file, never a traceback or a hang.
Files are read once per process: several rules judging one file share the text.
"""

from __future__ import annotations

import codecs
import gc
import os
import re
import stat
import sys

from hooks.findings import InputError

# Imported for type checkers only: `typing` costs a hook several milliseconds of start-up.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python < 3.11 only
    import tomli as tomllib

# Far above any real manifest or lock (the largest real locks are a few MB), far below what
# would make a hook slow: a 50 MB file is refused after one stat call, without reading it.
MAX_BYTES = 16 * 1024 * 1024

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),  # before UTF-16 LE: it starts with the same two bytes
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# Keyed by path and validated by the file's identity, so a file changed during the run is re-read.
_cache: dict[str, tuple[tuple[int, int, int], str]] = {}


def _key(path: str) -> str:
    return os.path.normpath(os.path.abspath(path))


def forget(path: str) -> None:
    """Drop a cached text (after lockguard itself rewrote the file)."""
    _cache.pop(_key(path), None)


# The repository's real root, set by the face before anything is read: a file whose real path
# (symlinks and `..` resolved) leaves it is never opened. None (library use) reads anything.
_boundary: str | None = None


def confine(root: str | None) -> None:
    """Read only files inside `root` from now on (None lifts the boundary)."""
    global _boundary
    _boundary = os.path.join(os.path.realpath(root), "") if root is not None else None


def outside(path: str) -> bool:
    """Does `path` resolve outside the boundary?"""
    return _boundary is not None and not os.path.join(os.path.realpath(path), "").startswith(_boundary)


# An in-memory repository (`{root-relative path: text}`), in place of the disk: what pure-judge
# tests hand a rule. None: the disk.
_memory: dict[str, str] | None = None


# What `at_head` answers inside `memory(...)`: `{root-relative path: text at HEAD}`.
_memory_head: dict[str, str] = {}


class memory:
    """`with reading.memory({"Pipfile": "...", "Pipfile.lock": "..."}):` — inside, every file
    lockguard reads, and every existence check, is answered from the mapping; `at_head` from
    `head`, the files as the repository's `HEAD` commit has them."""

    def __init__(self, files: dict[str, str], head: dict[str, str] | None = None) -> None:
        self.files = {os.path.normpath(path): text for path, text in files.items()}
        self.head = {os.path.normpath(path): text for path, text in (head or {}).items()}

    def __enter__(self) -> dict[str, str]:
        global _memory, _memory_head
        _memory, _memory_head = self.files, self.head
        return self.files

    def __exit__(self, *exc: object) -> None:
        global _memory, _memory_head
        _memory, _memory_head = None, {}


# The text of each path at HEAD, read once a process (HEAD does not move during a run).
_head: dict[tuple[str, int | None], str | None] = {}


def at_head(path: str, lines_in: int | None = None) -> str | None:
    """`path`'s text as the git `HEAD` commit records it (BOM removed, CRLF as LF), or None: not
    a git work tree, no commit yet, not in `HEAD`, over the lock budget, undecodable, git missing.
    With `lines_in`, only the whole lines of its first `lines_in` bytes (a lock's top keys).
    The blob is read as stored, with no command the repository configures (`hooks.git`)."""
    if _memory is not None:
        return _memory_head.get(os.path.normpath(path))
    key = (_key(path), lines_in)
    if key not in _head:
        from hooks import git  # subprocess machinery: only for the rules that compare with HEAD

        data = None if outside(path) else git.blob_at_head(path, lines_in)
        if data is not None and lines_in is not None and len(data) == lines_in:
            data = data[: data.rfind(b"\n") + 1]  # a character cut in two is not read
        try:
            _head[key] = None if data is None else decode(path, data)
        except InputError:
            _head[key] = None
    return _head[key]


def exists(path: str) -> bool:
    """Is there a file (or a dangling symlink: reading it says what is wrong) at `path`?"""
    if _memory is not None:
        return os.path.normpath(path) in _memory
    return os.path.lexists(path)


def is_file(path: str) -> bool:
    if _memory is not None:
        return os.path.normpath(path) in _memory
    return os.path.isfile(path)


def is_dir(path: str) -> bool:
    if _memory is not None:
        prefix = os.path.join(os.path.normpath(path), "")
        return os.path.normpath(path) == os.curdir or any(name.startswith(prefix) for name in _memory)
    return os.path.isdir(path)


def list_dir(path: str) -> list[str]:
    """The names in a folder, sorted; [] when it cannot be listed."""
    if _memory is not None:
        prefix = "" if os.path.normpath(path) == os.curdir else os.path.join(os.path.normpath(path), "")
        return sorted({name[len(prefix) :].split(os.sep, 1)[0] for name in _memory if name.startswith(prefix)})
    try:
        return sorted(os.listdir(path))
    except OSError:
        return []


def _stat(path: str) -> os.stat_result:
    if outside(path):
        # Name the reference, never what it points at: the target may be a CI runner's secret.
        raise InputError(path, "leads outside the repository (through `..`, an absolute path or a symlink), so lockguard does not read it")
    try:
        return os.stat(path)
    except FileNotFoundError:
        if os.path.islink(path):
            raise InputError(path, f"is a symlink to {os.readlink(path)!r}, which does not exist") from None
        raise InputError(path, "does not exist") from None
    except OSError as error:  # ELOOP (a symlink loop), EACCES on a parent, ENAMETOOLONG
        raise InputError(path, f"cannot be read: {error.strerror or error}") from None


def read_bytes(path: str, info: os.stat_result | None = None) -> bytes:
    info = info or _stat(path)
    if stat.S_ISDIR(info.st_mode):
        raise InputError(path, "is a directory, not a file")
    if not stat.S_ISREG(info.st_mode):
        # Opening a FIFO or a device could block forever.
        raise InputError(path, "is not a regular file")
    if info.st_size > MAX_BYTES:
        raise InputError(path, f"is {info.st_size / 1e6:.0f} MB, over lockguard's {MAX_BYTES // 2**20} MiB limit for a manifest or lock")
    try:
        with open(path, "rb") as handle:
            data = handle.read(MAX_BYTES + 1)
    except OSError as error:
        raise InputError(path, f"cannot be read: {error.strerror or error}") from None
    if len(data) > MAX_BYTES:
        raise InputError(path, f"grew over lockguard's {MAX_BYTES // 2**20} MiB limit while being read")
    return data


def decode(path: str, data: bytes) -> str:
    """Decode as pip does: a BOM names the encoding (UTF-8, UTF-16, UTF-32), otherwise UTF-8."""
    for bom, encoding in _BOMS:  # noqa: B007 - the encoding found is used after the break
        if data.startswith(bom):
            body = data[len(bom) :]
            break
    else:
        encoding, body = "utf-8", data
        if len(data) >= 2 and data.count(0) * 3 >= len(data):
            raise InputError(path, "looks like UTF-16 without a byte-order mark: save it as UTF-8")
    try:
        text = body.decode(encoding)
    except UnicodeDecodeError as error:
        line = body[: error.start].count(b"\n") + 1
        raise InputError(path, f"is not valid {encoding.upper()}: save it as UTF-8", line) from None
    nul = text.find("\0")
    if nul != -1:
        raise InputError(path, "contains a NUL character: it is binary or corrupt", text.count("\n", 0, nul) + 1)
    return text.replace("\r\n", "\n")


def read_text(path: str) -> str:
    """The file's text, with a BOM removed and CRLF turned into LF (line numbers unchanged)."""
    if _memory is not None:
        if os.path.normpath(path) not in _memory:
            raise InputError(path, "does not exist")
        return _memory[os.path.normpath(path)]
    key = _key(path)
    info = _stat(path)
    identity = (info.st_ino, info.st_size, info.st_mtime_ns)
    cached = _cache.get(key)
    if cached is not None and cached[0] == identity:
        return cached[1]
    text = decode(path, read_bytes(path, info))
    _cache[key] = (identity, text)
    return text


def line_of(text: str, pattern: str) -> int:
    """The 1-based line of the first match of `pattern` (multiline) in `text`, or 1: where to
    point a finding about a key the parser does not locate."""
    match = re.search(pattern, text, re.MULTILINE)
    return text.count("\n", 0, match.start()) + 1 if match else 1


# Where tomllib's message says the error is (compiled when a file fails to parse).
_TOML_POSITION = r"\(at line (\d+), column (\d+)\)"

# Parsing budgets, below MAX_BYTES. tomllib is pure Python: about 6 MB a second on a real lock,
# 1 MB a second (and 100 bytes of memory a byte) on a document of tiny tables. A lock may be
# large (the largest of the corpus: 1.8 MB); a manifest is small (the largest: 23 kB).
MAX_TOML_LOCK_CHARACTERS = 4 * 1024 * 1024
MAX_TOML_CHARACTERS = 256 * 1024
# The locks read as TOML (a PEP 751 lock is `pylock.toml` or `pylock.<name>.toml`).
# What re-writes each lock whose `package` array is broken.
WRITERS = {"poetry.lock": "poetry lock", "uv.lock": "uv lock", "pdm.lock": "pdm lock"}
LOCKS = tuple(WRITERS)


def _is_toml_lock(path: str) -> bool:
    name = os.path.basename(path)
    return name in LOCKS or (name.startswith("pylock.") and name.endswith(".toml"))


# The largest Pipfile.lock of the corpus is 350 kB; json parses 4 MiB in a few hundredths of a
# second, but a document of empty lists costs 25 bytes of memory a byte.
MAX_JSON_CHARACTERS = 4 * 1024 * 1024
# tomllib's time and memory grow with the square of a dotted key's length (`a.b.c…`, for each
# part it copies the key so far); real keys have up to 8 (`[tool.pixi.feature.x.target.linux-64.activation.env]`).
MAX_KEY_PARTS = 10
_KEY_PART = r"""(?:[A-Za-z0-9_-]+|"(?:[^"\\\n]|\\.)*"|'[^'\n]*')"""
# A key of more than MAX_KEY_PARTS parts where a key can start (a line, `[`, `{`, `,`) and ending
# where a key ends (`=`, `]`). Each part is followed by a dot or the end, so a part matches one way:
# every start is read once along its key.
_LONG_KEY = re.compile(rf"(?:^|[\[{{,])[ \t]*(?:{_KEY_PART}[ \t]*\.[ \t]*){{{MAX_KEY_PARTS},}}{_KEY_PART}[ \t]*[=\]]", re.MULTILINE)
# Python refuses to turn an integer of more than 4,300 decimal digits into text, or text into it
# (tomllib and json then fail with a bare ValueError). A hexadecimal, octal or binary TOML integer
# of that size is read: it fails later, wherever it is printed. Each needs 3,500 digits or more.
MAX_INTEGER_BITS = 14_000
_LONG_NUMBER_DIGITS = 3500
_LONG_NUMBER = rf"(?<![0-9A-Fa-f_])[0-9A-Fa-f_]{{{_LONG_NUMBER_DIGITS}}}"


def _long_number(text: str) -> re.Match[str] | None:
    """The first run of 3,500 digits (compiled only for a text that long)."""
    return re.search(_LONG_NUMBER, text) if len(text) >= _LONG_NUMBER_DIGITS else None


def _line_at(text: str, position: int) -> int:
    return text.count("\n", 0, position) + 1


def _without_gc(parse: Any, text: str) -> Any:
    """`parse(text)` with the cycle collector paused: a parsed document holds no cycles, and the
    collector would walk the growing document again and again. Nothing on a real lock; half the
    time of a document of tiny tables, four fifths of one of empty lists."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        return parse(text)
    finally:
        if enabled:
            gc.enable()


def _huge_integer(value: Any) -> bool:
    """Does `value` hold an integer Python cannot turn into text? Walked without recursion."""
    stack = [value]
    while stack:
        current = stack.pop()
        if isinstance(current, int) and current.bit_length() > MAX_INTEGER_BITS:
            return True
        if isinstance(current, dict):
            stack.extend(current.values())
        elif isinstance(current, list):
            stack.extend(current)
    return False


def _number_error(path: str, text: str, kind: str) -> InputError:
    long_number = _long_number(text)
    line = _line_at(text, long_number.start()) if long_number else 1
    return InputError(path, f"has an integer of more than 4,300 digits, which Python cannot turn into text (no real {kind} file has one)", line)


def parse_toml(path: str, text: str) -> dict[str, Any]:
    is_lock = _is_toml_lock(path)
    limit = MAX_TOML_LOCK_CHARACTERS if is_lock else MAX_TOML_CHARACTERS
    if len(text) > limit:
        what = "a lock (the largest real ones have under 2 million)" if is_lock else "a TOML manifest (real ones have a few thousand)"
        raise InputError(path, f"has {len(text):,} characters, over lockguard's limit of {limit:,} for {what}")
    long_key = _LONG_KEY.search(text)
    if long_key:
        raise InputError(
            path, f"has a dotted key of more than {MAX_KEY_PARTS} parts, which no tool's settings need (and which costs TOML parsers the square of its length)", _line_at(text, long_key.end())
        )
    try:
        data = _without_gc(tomllib.loads, text)
    except tomllib.TOMLDecodeError as error:
        message = str(error)
        position = re.search(_TOML_POSITION, message)
        line, col = (int(position[1]), int(position[2])) if position else (1, 1)
        reason = re.sub(_TOML_POSITION, "", message).strip()
        raise InputError(path, f"is not valid TOML: {reason}", line, col) from None
    except RecursionError:
        raise InputError(path, "is not valid TOML: nested too deeply") from None
    except ValueError:  # an integer over Python's digit limit (any other failure is a TOMLDecodeError)
        raise _number_error(path, text, "TOML") from None
    if _long_number(text) and _huge_integer(data):
        raise _number_error(path, text, "TOML")
    if is_lock:
        _check_packages(path, text, data)
    return data


_PACKAGE_HEADER = re.compile(r"^[ \t]*\[\[[ \t]*package[ \t]*\]\]", re.MULTILINE)


def _check_packages(path: str, text: str, data: dict[str, Any]) -> None:
    """A lock's `package` is an array of tables with a `name` each: what every reader of a lock
    iterates (also when it is given part of a lock)."""
    packages = data.get("package")
    if packages is None:
        return
    command = WRITERS.get(os.path.basename(path), "the tool that wrote it")
    if not isinstance(packages, list) or not all(isinstance(package, dict) for package in packages):
        raise InputError(path, f"has a `package` that is not an array of [[package]] tables, so it is not a lock: run `{command}`", line_of(text, r"^[ \t]*\[*[ \t]*package[ \t\]=]"))
    for index, package in enumerate(packages):
        if not isinstance(package.get("name"), str):
            headers = [header.start() for _, header in zip(range(index + 1), _PACKAGE_HEADER.finditer(text))]
            line = _line_at(text, headers[index]) if len(headers) > index else 1
            raise InputError(path, f"has a [[package]] without a `name` string, so it is not a lock: run `{command}`", line)


# Parsed documents, kept with the text they came from (a changed file is parsed again). Several
# rules read the same pyproject.toml or lock: each is parsed once per run. Callers must not
# modify what they get.
_parsed: dict[tuple[str, str], tuple[str, Any]] = {}


def _cached_parse(kind: str, path: str, parse: Any) -> Any:
    text = read_text(path)
    key = (kind, _key(path))
    cached = _parsed.get(key)
    if cached is not None and cached[0] is text:
        return cached[1]
    value = parse(path, text)
    _parsed[key] = (text, value)
    return value


def read_toml(path: str) -> dict[str, Any]:
    return _cached_parse("toml", path, parse_toml)


def read_json(path: str) -> Any:
    return _cached_parse("json", path, _parse_json)


def _parse_json(path: str, text: str) -> Any:
    import json  # only the hooks that read JSON pay for it

    if len(text) > MAX_JSON_CHARACTERS:
        raise InputError(path, f"has {len(text):,} characters, over lockguard's limit of {MAX_JSON_CHARACTERS:,} for a JSON lock (the largest real ones have a few hundred thousand)")
    try:
        return _without_gc(json.loads, text)
    except json.JSONDecodeError as error:
        raise InputError(path, f"is not valid JSON: {error.msg}", error.lineno, error.colno) from None
    except RecursionError:
        raise InputError(path, "is not valid JSON: nested too deeply") from None
    except ValueError:  # an integer over Python's digit limit
        raise _number_error(path, text, "JSON") from None
