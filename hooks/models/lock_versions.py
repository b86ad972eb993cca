"""The version each lock in a project pins, by canonical package name.

Only names and versions are read: enough to propose the exact pin a finding should suggest,
or to compare an exported requirements file with its lock.
"""

from __future__ import annotations

import os

from hooks import reading
from hooks.findings import InputError
from hooks.models.names import canonical as canonicalize_name
from hooks.units import join

# Imported for type checkers only: `typing` costs a hook several milliseconds of start-up.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterator
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


def all_versions(path: str) -> dict[str, list[str]]:
    """`{canonical name: [versions, in lock order]}` of one lock (a uv lock can hold several
    versions of a package); raises `InputError` when unreadable."""
    pairs = _pipfile_lock(reading.read_json(path)) if os.path.basename(path) == "Pipfile.lock" else _toml_packages(reading.read_toml(path))
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
