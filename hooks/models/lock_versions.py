"""The version each lock in a project pins, by canonical package name.

Only names and versions are read: enough to propose the exact pin a finding should suggest,
or to compare an exported requirements file with its lock.
"""

from __future__ import annotations

import os
import re

from hooks import reading
from hooks.findings import InputError
from hooks.models.names import canonical as canonicalize_name
from hooks.units import join

# Imported for type checkers only: `typing` costs a hook several milliseconds of start-up.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator
    from typing import Any

LOCK_FILES = ("poetry.lock", "uv.lock", "Pipfile.lock", "pdm.lock")


def _pipfile_lock(data: Any) -> Iterator[tuple[str, str]]:
    for section, packages in data.items() if isinstance(data, dict) else ():
        if section == "_meta" or not isinstance(packages, dict):
            continue
        for name, entry in packages.items():
            version = entry.get("version") if isinstance(entry, dict) else None
            if isinstance(version, str) and version.startswith("=="):
                yield name, version[2:]


def _toml_packages(data: dict[str, Any]) -> Iterator[tuple[str, str]]:
    packages = data.get("package", ())
    for package in packages if isinstance(packages, list) else ():
        if isinstance(package, dict) and isinstance(package.get("name"), str) and isinstance(package.get("version"), str):
            yield package["name"], package["version"]


# The layout every TOML lock writer uses: `[[package]]` tables whose `name` and `version` are plain
# double-quoted strings on lines of their own, before the table's first sub-table.
_PACKAGE_HEADER = re.compile(r"^\[\[package\]\][ \t]*\r?$", re.MULTILINE)
_KEY = re.compile(r"^(name|version)[ \t]*=[ \t]*(.*?)[ \t]*\r?$", re.MULTILINE)
_PLAIN_STRING = re.compile(r'"([^"\\\x00-\x1f]*)"')


def _scanned_packages(text: str) -> list[tuple[str, str]] | None:
    """The (name, version) pairs of a TOML lock in the writers' layout, read line by line; None
    when the text is not in that layout (then the whole file is parsed). A lock of many tiny
    tables costs tomllib seconds and hundreds of megabytes; this scan, one pass."""
    starts = [match.end() for match in _PACKAGE_HEADER.finditer(text)]
    if (not starts and "package" in text) or '"""' in text or "'''" in text:
        return None  # multi-line strings could hold lines that look like keys
    pairs = []
    for start, end in zip(starts, [*starts[1:], len(text)]):
        header = text.find("\n[", start, end)
        values: dict[str, str] = {}
        for match in _KEY.finditer(text, start, end if header < 0 else header):
            plain = _PLAIN_STRING.fullmatch(match[2])
            if plain is None or match[1] in values:
                return None
            values[match[1]] = plain[1]
        if "name" in values and "version" in values:
            pairs.append((values["name"], values["version"]))
    return pairs


def all_versions(path: str) -> dict[str, list[str]]:
    """`{canonical name: [versions, in lock order]}` of one lock (a uv lock can hold several
    versions of a package); raises `InputError` when unreadable."""
    if os.path.basename(path) == "Pipfile.lock":
        pairs: Iterable[tuple[str, str]] = _pipfile_lock(reading.read_json(path))
    else:
        scanned = _scanned_packages(reading.read_text(path))
        pairs = scanned if scanned is not None else _toml_packages(reading.read_toml(path))
    found: dict[str, list[str]] = {}
    for name, version in pairs:
        versions = found.setdefault(canonicalize_name(name), [])
        if version not in versions:
            versions.append(version)
    return found


def project_locks(directory: str) -> dict[str, tuple[str, str]]:
    """`{canonical name: (version, lock path)}` over the locks in `directory`; unreadable locks
    are skipped (their own rule reports them)."""
    found: dict[str, tuple[str, str]] = {}
    for name in LOCK_FILES:
        path = join(directory, name)
        if not reading.is_file(path):
            continue
        try:
            versions = all_versions(path)
        except InputError:
            continue
        for package, listed in versions.items():
            found.setdefault(package, (listed[0], path))
    return found
