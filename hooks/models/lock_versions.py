"""The version each lock in a project pins, by canonical package name.

Only names and versions are read: enough to propose the exact pin a finding should suggest,
or to compare an exported requirements file with its lock.
"""
from __future__ import annotations

import os

from hooks.models.names import canonical as canonicalize_name

from hooks import reading
from hooks.findings import InputError
from hooks.projects import join

# Imported for type checkers only: `typing` costs a hook several milliseconds of start-up.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

LOCK_FILES = ("poetry.lock", "uv.lock", "Pipfile.lock")


def _pipfile_lock(data: Any) -> dict[str, str]:
    versions: dict[str, str] = {}
    if not isinstance(data, dict):
        return versions
    for section, packages in data.items():
        if section == "_meta" or not isinstance(packages, dict):
            continue
        for name, entry in packages.items():
            version = entry.get("version") if isinstance(entry, dict) else None
            if isinstance(version, str) and version.startswith("=="):
                versions.setdefault(canonicalize_name(name), version[2:])
    return versions


def _toml_packages(data: dict[str, Any]) -> dict[str, str]:
    versions: dict[str, str] = {}
    for package in data.get("package", ()):
        if isinstance(package, dict) and isinstance(package.get("name"), str) and isinstance(package.get("version"), str):
            versions.setdefault(canonicalize_name(package["name"]), package["version"])
    return versions


def read_lock(path: str) -> dict[str, str]:
    """`{canonical name: version}` from one lock file; raises `InputError` when unreadable."""
    if os.path.basename(path) == "Pipfile.lock":
        return _pipfile_lock(reading.read_json(path))
    return _toml_packages(reading.read_toml(path))


def project_locks(directory: str) -> dict[str, tuple[str, str]]:
    """`{canonical name: (version, lock path)}` over the locks in `directory`; unreadable locks
    are skipped (their own rule reports them)."""
    found: dict[str, tuple[str, str]] = {}
    for name in LOCK_FILES:
        path = join(directory, name)
        if not os.path.isfile(path):
            continue
        try:
            versions = read_lock(path)
        except InputError:
            continue
        for package, version in versions.items():
            found.setdefault(package, (version, path))
    return found
