"""pylock.toml documents plain enough to validate without `packaging.pylock`: the checks of
`packaging.pylock.Pylock.from_dict` (packaging 26) on plain names, release-number versions,
plain markers and specifiers, and file names read from a path or a plain URL.

Importing `packaging.pylock` (dataclasses, logging, tags, markers, specifiers) costs the pylock
hook more start-up than everything else it does on a small project. `accepts` is True only for
documents packaging accepts, the way lockguard reads them (tests/pylock_fast_test.py holds the
two equal); on anything else — any doubt, any invalid value — it is False and the caller asks
packaging, so its error messages stay its own. Each value is read once: linear in the document.
"""

from __future__ import annotations

import re
from datetime import datetime

from hooks.models import plain_pep508
from hooks.models.names import canonical

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    # (release without trailing zeros, pre-release, post, dev): equal when packaging's Versions are.
    Key = tuple[tuple[int, ...], tuple[str, int] | None, int | None, int | None]

# A version of release numbers with an optional pre-, post- and dev-release, spelt as PEP 440
# normalises it (`1.0rc1.post2.dev3`); long ones go to packaging (`version` bounds the length).
_VERSION = re.compile(r"([0-9]+(?:\.[0-9]+)*)(?:(a|b|rc)([0-9]+))?(?:\.post([0-9]+))?(?:\.dev([0-9]+))?")
_NORMALIZED_NAME = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
# ASCII only: packaging's wheel names take any `\w`, and `str.lower` differs beyond ASCII.
_WHEEL_NAME = re.compile(r"[A-Za-z0-9._]+")
_SDIST_NAME = re.compile(r"[A-Za-z0-9._-]+")
_BUILD = re.compile(r"[0-9][A-Za-z0-9_.]*")
_INTERPRETER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_TAG_PART = re.compile(r"[A-Za-z0-9_]+")
# A URL with a path that `urllib.parse.urlparse` reads as written: no query, fragment,
# parameters, percent-escapes, brackets or spaces.
_PLAIN_URL = re.compile(r"(?:https?|file)://[A-Za-z0-9._~:@!$&'()*+,=-]*/[A-Za-z0-9._~:@!$&'()*+,=/-]*")
_LONGEST = 2000
# A marker's tokens: a parenthesis, a word (a variable, `and`, `or`, `in`, `not`), a value of
# printable ASCII without a backslash (what packaging takes as written, without `ast`), an operator.
_MARKER_TOKEN = re.compile(r"""[ \t]*(?:(\()|(\))|([a-z_]+)|('[ -&(-\[\]-~]*'|"[ !#-\[\]-~]*")|(===|==|~=|!=|<=|>=|<|>))""")
# The variables plain_pep508 reads, and pylock's `extras` and `dependency_groups`.
_VARIABLES = plain_pep508._VARIABLES | {"extras", "dependency_groups"}
_DEEPEST = 20


def _version(text: Any) -> Key | None:
    """The comparison key of a plain version, or None for anything else."""
    if not isinstance(text, str) or len(text) > 200:
        return None
    match = _VERSION.fullmatch(text)
    if match is None:
        return None
    release = [int(part) for part in match[1].split(".")]
    while release and release[-1] == 0:
        release.pop()
    pre = (match[2], int(match[3])) if match[2] else None
    return (tuple(release), pre, None if match[4] is None else int(match[4]), None if match[5] is None else int(match[5]))


def _string(table: dict[str, Any], key: str, required: bool = False) -> bool:
    """The key is absent (when it may be) or a string."""
    return isinstance(table.get(key), str) if required or key in table else True


def _strings(table: dict[str, Any], key: str) -> bool:
    value = table.get(key, [])
    return isinstance(value, list) and all(isinstance(item, str) for item in value)


def _tables(table: dict[str, Any], key: str) -> bool:
    value = table.get(key, [])
    return isinstance(value, list) and all(isinstance(item, dict) for item in value)


def _marker(text: Any) -> bool:
    """A marker of comparisons, `and`, `or` and parentheses (`('dev' in dependency_groups) and
    (python_version >= '3.9')`), the words `and`, `or`, `in` and `not` between spaces."""
    if not isinstance(text, str) or len(text) > _LONGEST:
        return False
    # What comes next: an "atom" (a comparison or a parenthesis), the comparison's "operator",
    # its right-hand "variable" or "value", then "after" it a joiner or a closing parenthesis.
    depth, state, right, position, end = 0, "atom", "", 0, len(text)
    while position < end:
        match = _MARKER_TOKEN.match(text, position)
        if match is None:
            break
        opening, closing, word, value, symbol = match.groups()
        position = match.end()
        spaced = match.start(match.lastindex or 0) > match.start() and text[position : position + 1] in (" ", "\t")
        if state == "atom" and opening:
            depth += 1
        elif state == "atom" and (word in _VARIABLES or value):
            state, right = "operator", "value" if word else "variable"
        elif state == "operator" and (symbol or (word == "in" and spaced)):
            state = right
        elif state == "operator" and word == "not" and spaced:
            state = "in"
        elif state == "in" and word == "in" and spaced:
            state = right
        elif (state == "value" and value) or (state == "variable" and word in _VARIABLES):
            state = "after"
        elif state == "after" and closing:
            depth -= 1
        elif state == "after" and word in ("and", "or") and spaced:
            state = "atom"
        else:
            return False
        if not 0 <= depth <= _DEEPEST:
            return False
    return state == "after" and depth == 0 and not text[position:].strip(" \t")


def _specifier(table: dict[str, Any], key: str) -> bool:
    return key not in table or plain_pep508.clauses(table[key]) is not None


def _file(entry: Any, direct: bool) -> str | None:
    """The file name of an sdist or wheel entry (the `archive` when `direct`: no name of its
    own, and none needed), "" for an archive, or None when packaging might refuse it."""
    if not isinstance(entry, dict) or not all(_string(entry, key) for key in ("url", "path", "subdirectory" if direct else "name")):
        return None
    size, uploaded, hashes = entry.get("size", 0), entry.get("upload-time"), entry.get("hashes")
    if type(size) is not int or ("upload-time" in entry and not isinstance(uploaded, datetime)):
        return None
    if not isinstance(hashes, dict) or not hashes or not all(isinstance(value, str) for value in hashes.values()):
        return None
    url, path = entry.get("url", ""), entry.get("path", "")
    if not url and not path:
        return None
    if direct:
        return ""
    # What packaging's `filename` property reads: the name, else the path's last part, else
    # the URL's.
    name = entry.get("name", "") or path.rsplit("/", 1)[-1].rsplit("\\", 1)[-1]
    if not name and url and len(url) <= _LONGEST and _PLAIN_URL.fullmatch(url):
        name = url.rsplit("/", 1)[-1]
    return name or None


def _wheel(filename: str) -> tuple[str, Key] | None:
    """The canonical name and version of a wheel file name packaging parses."""
    if not filename.endswith(".whl") or len(filename) > 500:
        return None
    stem = filename[: -len(".whl")]
    dashes = stem.count("-")
    if dashes not in (4, 5):
        return None
    parts = stem.split("-", dashes - 2)
    name, build, tag = parts[0], parts[2] if dashes == 5 else "0", parts[-1]
    if "__" in name or not _WHEEL_NAME.fullmatch(name) or not _BUILD.fullmatch(build):
        return None
    interpreters, abis, platforms = (component.split(".") for component in tag.split("-"))
    if not all(_INTERPRETER.fullmatch(part) for part in interpreters) or not all(_TAG_PART.fullmatch(part) for part in abis + platforms):
        return None
    found = _version(parts[1])
    return (canonical(name), found) if found is not None else None


def _sdist(filename: str) -> tuple[str, Key] | None:
    """The canonical name and version of an sdist file name packaging parses."""
    stem = filename[: -len(".tar.gz")] if filename.endswith(".tar.gz") else filename[: -len(".zip")] if filename.endswith(".zip") else None
    if stem is None or len(stem) > 500:
        return None
    name, _, text = stem.rpartition("-")
    found = _version(text)
    return (canonical(name), found) if name and _SDIST_NAME.fullmatch(name) and found is not None else None


def _package(package: Any) -> bool:
    if not isinstance(package, dict):
        return False
    name, text = package.get("name"), package.get("version")
    if not isinstance(name, str) or not _NORMALIZED_NAME.fullmatch(name):
        return False
    locked = _version(text) if "version" in package else None
    if "version" in package and locked is None:
        return False
    if not _string(package, "index") or not _specifier(package, "requires-python") or ("marker" in package and not _marker(package["marker"])):
        return False
    if not _tables(package, "dependencies") or not _tables(package, "attestation-identities") or not isinstance(package.get("tool", {}), dict):
        return False
    if not all(isinstance(identity.get("kind"), str) for identity in package.get("attestation-identities", [])):
        return False
    files: list[tuple[str, Key] | None] = []
    if "sdist" in package:
        filename = _file(package["sdist"], direct=False)
        files.append(_sdist(filename) if filename else None)
    if not _tables(package, "wheels"):
        return False
    for wheel in package.get("wheels", []):
        filename = _file(wheel, direct=False)
        files.append(_wheel(filename) if filename else None)
    if not all(found is not None and found[0] == name and (locked is None or found[1] == locked) for found in files):
        return False
    directs = [key for key in ("vcs", "directory", "archive") if key in package]
    if files or len(directs) != 1:
        return bool(files) and not directs
    return _direct(directs[0], package[directs[0]])


def _direct(kind: str, source: Any) -> bool:
    """A `vcs`, `directory` or `archive` table as packaging reads it."""
    if kind == "archive":
        return _file(source, direct=True) == ""
    if not isinstance(source, dict) or not _string(source, "subdirectory"):
        return False
    if kind == "directory":
        return _string(source, "path", required=True) and isinstance(source.get("editable", False), bool)
    keys = ("type", "commit-id", "url", "path", "requested-revision")
    return all(_string(source, key, required=key in ("type", "commit-id")) for key in keys) and bool(source.get("url") or source.get("path"))


def accepts(data: dict[str, Any]) -> bool:
    """True only if `packaging.pylock.Pylock.from_dict(data)` accepts the document (and logs
    nothing: the lock version is 1.0); False leaves the verdict to packaging."""
    if _version(data.get("lock-version")) != ((1,), None, None, None) or not _string(data, "created-by", required=True):
        return False
    if not all(_strings(data, key) for key in ("environments", "extras", "dependency-groups", "default-groups")):
        return False
    if not all(_marker(text) for text in data.get("environments", [])) or not all(_NORMALIZED_NAME.fullmatch(extra) for extra in data.get("extras", [])):
        return False
    if not _specifier(data, "requires-python") or not isinstance(data.get("tool", {}), dict):
        return False
    packages = data.get("packages")
    return isinstance(packages, list) and all(_package(package) for package in packages)
