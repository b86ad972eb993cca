"""pyproject.toml and pdm.lock: the `content_hash` PDM records, computed without PDM.

PDM hashes a JSON rendering (Python's default separators, keys sorted, ASCII escapes) of a few
parts of pyproject.toml and stores `"<algorithm>:<hex digest>"` in pdm.lock's `[metadata]`
table. Which parts changed over PDM's history: `ERAS` lists each era with the PDM versions and
the commit of pdm-project/pdm that started it. A workspace root (PDM 2.28 and later) hashes that
digest again together with each member's.
"""

from __future__ import annotations

import json
import os
import re
from collections import namedtuple

from hooks import digests, reading
from hooks.findings import InputError
from hooks.reading import line_of
from hooks.units import join

# Imported for type checkers only: `typing` costs a hook several milliseconds of start-up.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

# The lock format the current PDM writes (`PDMLock.spec_version`, 4.5.1 since PDM 2.28.1). PDM
# reads a lock whose lock_version has the same major and a minor not above its own; any other
# (PDM 1.x wrote "2", "3" and "3.1"; PDM 0.x wrote none) is "not compatible with PDM".
LOCK_MAJOR, LOCK_MINOR = 4, 5
LOCK_VERSIONS = {
    "2": "PDM 1.0-1.5", "3": "PDM 1.6-1.11", "3.1": "PDM 1.12-1.15", "4.0": "PDM 2.0-2.2", "4.1": "PDM 2.3-2.4",
    "4.2": "PDM 2.5-2.7", "4.3": "PDM 2.8-2.9", "4.4": "PDM 2.10", "4.4.1": "PDM 2.11-2.15", "4.4.2": "PDM 2.16",
    "4.5.0": "PDM 2.17-2.28.0", "4.5.1": "PDM 2.28.1 and later",
}  # fmt: skip

# Where each hashed key is read from, by reader name (see `_read`).
# `tool.pdm.overrides|resolution.overrides`: the former if present, else the latter (PDM 2.3-2.11).
# `groups`: [dependency-groups] then [tool.pdm.dev-dependencies], group names normalised, lists
# of one name joined (PDM 2.20 and later).
_BASE = (("sources", "tool.pdm.source"), ("dependencies", "project.dependencies"), ("optional-dependencies", "project.optional-dependencies"), ("requires-python", "project.requires-python"))


class Era(namedtuple("Era", ("name", "versions", "source", "keys", "workspace"), defaults=(False,))):
    """One way PDM computed `content_hash`: `keys` pairs each key of the hashed JSON object with
    the reader that fills it; `workspace` eras hash a workspace root together with its members;
    `source` is the commit of pdm-project/pdm that began the era."""

    __slots__ = ()


# Newest first: the first era is the current PDM's. Checked against pdm-project/pdm's history
# (`Project.get_content_hash`, then `PyProject.content_hash` in src/pdm/project/project_file.py)
# and against PDM 2.29.4's own function.
ERAS = (
    Era("2.28", "PDM 2.28 and later", "9650f502 (2026-06-22, experimental workspaces)", (*_BASE, ("dev-dependencies", "groups"), ("resolution", "tool.pdm.resolution")), True),
    Era("2.20", "PDM 2.20-2.27", "ceb387be (2024-10-29, PEP 735 dependency groups)", (*_BASE, ("dev-dependencies", "groups"), ("resolution", "tool.pdm.resolution"))),
    Era("2.16", "PDM 2.16-2.19", "af4267b5 (2024-06-20, hash the whole [tool.pdm.resolution])", (*_BASE, ("dev-dependencies", "tool.pdm.dev-dependencies"), ("resolution", "tool.pdm.resolution"))),
    Era(
        "2.12",
        "PDM 2.12-2.15",
        "2fe1dcf3 (2024-01-11, [tool.pdm.overrides] no longer read)",
        (*_BASE, ("dev-dependencies", "tool.pdm.dev-dependencies"), ("overrides", "tool.pdm.resolution.overrides")),
    ),
    Era(
        "2.3",
        "PDM 2.3-2.11",
        "e9f09836 (2022-11-09, overrides moved to [tool.pdm.resolution])",
        (*_BASE, ("dev-dependencies", "tool.pdm.dev-dependencies"), ("overrides", "tool.pdm.overrides|resolution.overrides")),
    ),
    Era("1.12", "PDM 1.12-2.2", "3c392f33 (2021-12-16, resolution overrides)", (*_BASE, ("dev-dependencies", "tool.pdm.dev-dependencies"), ("overrides", "tool.pdm.overrides"))),
    Era("1.5", "PDM 1.5-1.11", "506d01e7 (2021-03-28, dev-dependency groups in [tool.pdm])", (*_BASE, ("dev-dependencies", "tool.pdm.dev-dependencies"))),
    Era("1.0", "PDM 1.0-1.4", "c0121706 (2020-12-29, requires-python hashed; [project] since ec8d0023)", (*_BASE, ("dev-dependencies", "project.dev-dependencies"))),
)
CURRENT = ERAS[0]
BY_NAME = {era.name: era for era in ERAS}

# The keys of [tool.pdm] that configure only the pdm-backend build backend, which many projects
# managed by other tools use: they do not make a project a PDM project.
BACKEND_ONLY_KEYS = frozenset(("build", "version"))


class Lock(namedtuple("Lock", ("path", "algorithm", "digest", "hash_line", "lock_version", "version_line", "groups", "strategy", "has_lock_inputs"))):
    """A pdm.lock's `[metadata]`: the `content_hash` split into `algorithm` and `digest` (both ""
    when it has no `:`), its line, `lock_version` (None when absent) and its line, `groups` and
    `strategy` (lists, or None), and whether it records `lock_inputs` (PDM 2.28.1's opt-in)."""

    __slots__ = ()


def _table(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def normalize_group(name: str) -> str:
    """PDM's `normalize_name`: each run of characters other than ASCII letters and digits becomes
    one `-`, then lowercase (`Dev_Tools` and `dev.tools` are both `dev-tools`)."""
    return re.sub(r"[^A-Za-z0-9]+", "-", name).lower()


def dependency_groups(pyproject: dict[str, Any], path: str = "pyproject.toml", text: str = "") -> dict[str, list[Any]]:
    """The groups PDM 2.20 and later hash under "dev-dependencies": [dependency-groups] (two names
    normalising alike are an error) then [tool.pdm.dev-dependencies] appended to the group of the
    same normalised name."""
    groups: dict[str, list[Any]] = {}
    for name, items in _table(pyproject.get("dependency-groups")).items():
        key = normalize_group(name)
        if key in groups:
            raise InputError(
                path, f"[dependency-groups] has two groups named `{key}` once normalised, which PDM refuses (The group {key} is duplicated)", line_of(text, rf"^[ \t]*\"?{re.escape(name)}\"?[ \t]*=")
            )
        groups[key] = list(items) if isinstance(items, list) else items
    pdm = _table(_table(pyproject.get("tool")).get("pdm"))
    for name, items in _table(pdm.get("dev-dependencies")).items():
        groups.setdefault(normalize_group(name), []).extend(items)
    return groups


def _read(pyproject: dict[str, Any], reader: str, path: str, text: str) -> Any:
    project = _table(pyproject.get("project"))
    pdm = _table(_table(pyproject.get("tool")).get("pdm"))
    resolution = _table(pdm.get("resolution"))
    if reader == "tool.pdm.source":
        return pdm.get("source", [])
    if reader == "project.dependencies":
        return project.get("dependencies", [])
    if reader == "project.dev-dependencies":
        return project.get("dev-dependencies", [])
    if reader == "project.optional-dependencies":
        return project.get("optional-dependencies", {})
    if reader == "project.requires-python":
        return project.get("requires-python", "")
    if reader == "tool.pdm.dev-dependencies":
        return pdm.get("dev-dependencies", {})
    if reader == "groups":
        return dependency_groups(pyproject, path, text)
    if reader == "tool.pdm.resolution":
        return pdm.get("resolution", {})
    if reader == "tool.pdm.resolution.overrides":
        return resolution.get("overrides", {})
    if reader == "tool.pdm.overrides":
        return pdm.get("overrides", {})
    if reader == "tool.pdm.overrides|resolution.overrides":
        return pdm["overrides"] if "overrides" in pdm else resolution.get("overrides", {})
    raise ValueError(reader)


def project_hash(pyproject: dict[str, Any], era: Era = CURRENT, algorithm: str = "sha256", path: str = "pyproject.toml", text: str = "") -> str:
    """The hex digest one project's pyproject.toml hashes to in `era` (workspace members aside)."""
    data = {key: _read(pyproject, reader, path, text) for key, reader in era.keys}
    try:
        rendered = json.dumps(data, sort_keys=True)
    except (TypeError, ValueError):
        # A TOML date or time in a hashed table: PDM's json.dumps fails the same way.
        raise InputError(path, "holds a TOML date or time in a table PDM hashes, which PDM cannot hash: quote it", line_of(text, r"=[ \t]*\d{4}-\d\d-\d\d|=[ \t]*\d\d:\d\d")) from None
    hasher = digests.new(algorithm)
    hasher.update(rendered.encode("utf-8"))
    return hasher.hexdigest()


def workspace_hash(root_hash: str, members: list[tuple[str, str]], algorithm: str = "sha256") -> str:
    """A workspace root's digest (PDM 2.28 and later): its own digest, then for each member in
    order of its relative path a NUL, that path, a NUL and the member's digest, hashed again."""
    hasher = digests.new(algorithm)
    hasher.update(root_hash.encode("utf-8"))
    for member_path, member_hash in sorted(members):
        hasher.update(b"\0" + member_path.encode("utf-8") + b"\0" + member_hash.encode("utf-8"))
    return hasher.hexdigest()


def is_workspace_root(pyproject: dict[str, Any]) -> bool:
    return bool(_table(_table(pyproject.get("tool")).get("pdm")).get("workspace"))


def workspace_members(directory: str, pyproject: dict[str, Any]) -> list[str]:
    """The member directories of a workspace root, as PDM finds them: `[tool.pdm.workspace]
    members`, glob patterns expanded below the root, each an existing directory holding a
    pyproject.toml, once each (by real path); paths as `directory`-relative for display."""
    from pathlib import Path  # only workspaces need globbing

    members = _table(_table(_table(pyproject.get("tool")).get("pdm")).get("workspace")).get("members", [])
    root = Path(directory)
    seen: set[str] = set()
    found: list[str] = []
    for pattern in members if isinstance(members, list) else ():
        if not isinstance(pattern, str):
            continue
        candidates = sorted(root.glob(pattern)) if any(char in pattern for char in "*?[") else [root / pattern]
        for candidate in candidates:
            real = os.path.realpath(candidate)
            if real in seen or not candidate.is_dir() or not (candidate / "pyproject.toml").is_file():
                continue
            seen.add(real)
            found.append(os.path.normpath(str(candidate)))
    return found


def member_path(root: str, member: str) -> str:
    """A member's path relative to the workspace root, as PDM hashes it (real paths, `/`)."""
    return os.path.relpath(os.path.realpath(member), os.path.realpath(root)).replace(os.sep, "/")


def read_lock(path: str) -> Lock:
    """pdm.lock's `[metadata]`. The whole file is parsed, as PDM parses it."""
    text = reading.read_text(path)
    metadata = reading.read_toml(path).get("metadata")
    if not isinstance(metadata, dict):
        raise InputError(path, "has no [metadata] table, so nothing says what it was locked from: run `pdm lock`")
    hash_line = line_of(text, r"^[ \t]*content_hash[ \t]*=")
    content_hash = metadata.get("content_hash")
    if not isinstance(content_hash, str):
        raise InputError(path, "has no `content_hash` string in [metadata]: run `pdm lock`", hash_line if "content_hash" in metadata else line_of(text, r"^[ \t]*\[[ \t]*metadata[ \t]*\]"))
    algorithm, separator, digest = content_hash.partition(":")
    if not separator:
        algorithm = digest = ""
    elif not digests.available(algorithm):
        raise InputError(path, f"`content_hash` names the algorithm `{algorithm}`, which PDM cannot compute: run `pdm lock`", hash_line)
    lock_version = metadata.get("lock_version")
    version_line = line_of(text, r"^[ \t]*lock_version[ \t]*=")
    if lock_version is not None and not isinstance(lock_version, str):
        raise InputError(path, "`lock_version` in [metadata] is not a string", version_line)
    groups, strategy = metadata.get("groups"), metadata.get("strategy")
    return Lock(
        path, algorithm, digest, hash_line, lock_version or None, version_line,
        groups if isinstance(groups, list) else None, strategy if isinstance(strategy, list) else None, "lock_inputs" in metadata,
    )  # fmt: skip


_LOCK_VERSION = re.compile(r"^(\d+)(?:\.(\d+))?(?:\.(\d+))?$")


def lock_version_readable(lock_version: str | None) -> bool:
    """Does the current PDM read a lock of this `lock_version` (its `compatibility()` is not NONE)?"""
    match = _LOCK_VERSION.match(lock_version or "")
    return match is not None and int(match[1]) == LOCK_MAJOR and int(match[2] or 0) <= LOCK_MINOR


def check_shape(path: str, text: str, pyproject: dict[str, Any]) -> None:
    """The tables PDM reads must be tables (PDM fails on anything else)."""
    for keys in (("tool",), ("tool", "pdm"), ("project",), ("dependency-groups",), ("tool", "pdm", "resolution"), ("tool", "pdm", "dev-dependencies")):
        value: Any = pyproject
        for key in keys:
            value = value.get(key, {}) if isinstance(value, dict) else {}
        if not isinstance(value, dict):
            raise InputError(path, f"`{'.'.join(keys)}` is not a table, so PDM cannot load this pyproject", line_of(text, rf"^[ \t]*{re.escape(keys[-1])}[ \t]*="))
    for name, items in _table(pyproject.get("dependency-groups")).items():
        if not isinstance(items, list):
            raise InputError(path, f"dependency group `{name}` is not a list", line_of(text, rf"^[ \t]*\"?{re.escape(name)}\"?[ \t]*="))
    for name, items in _table(_table(_table(pyproject.get("tool")).get("pdm")).get("dev-dependencies")).items():
        if not isinstance(items, list):
            raise InputError(path, f"`tool.pdm.dev-dependencies.{name}` is not a list", line_of(text, rf"^[ \t]*\"?{re.escape(name)}\"?[ \t]*="))


def is_pdm_project(pyproject: dict[str, Any]) -> bool:
    """Is this pyproject managed by PDM? A [tool.pdm] table that configures more than the
    pdm-backend build backend (`build`, `version`) says so; the backend alone does not."""
    pdm = _table(pyproject.get("tool")).get("pdm")
    return isinstance(pdm, dict) and (not pdm or bool(set(pdm) - BACKEND_ONLY_KEYS))


def lock_format(pyproject: dict[str, Any]) -> str:
    """`[tool.pdm.lock] format`: "pylock" for a pylock.toml project, else "pdm"."""
    value = _table(_table(_table(_table(pyproject.get("tool")).get("pdm")).get("lock"))).get("format")
    return value if isinstance(value, str) else "pdm"


def converted_by_pdm(pyproject: dict[str, Any]) -> bool:
    """A pyproject without [project] that PDM converts from Poetry's or Flit's metadata before
    hashing: what it hashes is the converted metadata, which this hook does not reproduce."""
    tool = _table(pyproject.get("tool"))
    return "project" not in pyproject and ("poetry" in tool or "flit" in tool)


def lock_inputs_required(pyproject: dict[str, Any]) -> bool:
    """`[tool.pdm.resolution] lock_inputs = true` (PDM 2.28.1): the lock must record its inputs."""
    return _table(_table(_table(pyproject.get("tool")).get("pdm")).get("resolution")).get("lock_inputs") is True


def workspace_root_of(directory: str) -> str | None:
    """The workspace root above `directory` that lists it as a member, as PDM looks for one
    (each parent holding a pyproject.toml, nearest first), within the repository."""
    current = os.path.normpath(directory)
    real = os.path.realpath(current)
    while current not in (os.curdir, "") and not os.path.isabs(current) and current.split(os.sep, 1)[0] != os.pardir:
        current = os.path.dirname(current) or os.curdir
        manifest = join(current, "pyproject.toml")
        if not reading.is_file(manifest):
            continue
        try:
            data = reading.read_toml(manifest)
        except InputError:
            continue  # its own unit reports it
        if is_workspace_root(data) and any(os.path.realpath(member) == real for member in workspace_members(current, data)):
            return current
    return None
