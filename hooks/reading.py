"""Safe reading: the only way lockguard reads an input file.

Every failure (missing, a directory, a dangling symlink, unreadable, too large, undecodable,
NUL bytes, bad syntax) becomes an `InputError` naming the file, never a traceback or a hang.
Files are read once per process: several rules judging one file share the text.
"""
from __future__ import annotations

import codecs
import json
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


class memory:
    """`with reading.memory({"Pipfile": "...", "Pipfile.lock": "..."}):` — inside, every file
    lockguard reads, and every existence check, is answered from the mapping."""

    def __init__(self, files: dict[str, str]) -> None:
        self.files = {os.path.normpath(path): text for path, text in files.items()}

    def __enter__(self) -> dict[str, str]:
        global _memory
        _memory = self.files
        return self.files

    def __exit__(self, *exc: object) -> None:
        global _memory
        _memory = None


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
        return sorted({name[len(prefix):].split(os.sep, 1)[0] for name in _memory if name.startswith(prefix)})
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
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            body = data[len(bom):]
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


_TOML_POSITION = re.compile(r"\(at line (\d+), column (\d+)\)")


def parse_toml(path: str, text: str) -> dict[str, Any]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        message = str(error)
        position = _TOML_POSITION.search(message)
        line, col = (int(position[1]), int(position[2])) if position else (1, 1)
        reason = _TOML_POSITION.sub("", message).strip()
        raise InputError(path, f"is not valid TOML: {reason}", line, col) from None
    except RecursionError:
        raise InputError(path, "is not valid TOML: nested too deeply") from None


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
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise InputError(path, f"is not valid JSON: {error.msg}", error.lineno, error.colno) from None
    except RecursionError:
        raise InputError(path, "is not valid JSON: nested too deeply") from None
