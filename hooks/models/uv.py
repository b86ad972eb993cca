"""uv.lock against its workspace: the static comparison `uv lock --check` makes first.

uv.lock records no hash. uv validates it by comparing what the lock says each workspace member
declared (`[package.metadata]`) with what the pyprojects declare now, after normalising both
sides (`spec/lock-freshness.md` §3): names canonical, extras sorted, specifiers and markers by
meaning (markers within `requires-python`), `[tool.uv.sources]` lowered to the form the lock
stores, dependency groups with `include-group` flattened. This module does that comparison and
lists the differences; what it cannot see statically (dynamic metadata, settings from uv.toml,
the command line or `UV_*` variables) is returned as unknowns.
"""
from __future__ import annotations

import functools
import glob
import itertools
import os
import re
from dataclasses import dataclass, field
from typing import Any

from hooks import reading
from hooks.findings import InputError
from hooks.models.names import canonical

SETTINGS = (("resolution", "resolution-mode", "highest"), ("prerelease", "prerelease-mode", "if-necessary-or-explicit"), ("fork-strategy", "fork-strategy", "requires-python"), ("exclude-newer", "exclude-newer", None))


@dataclass
class Comparison:
    differences: list[str] = field(default_factory=list)
    unknowns: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Member:
    name: str
    directory: str  # relative to the workspace root ("." for the root)
    pyproject: dict[str, Any]


# -- reading ---------------------------------------------------------------------------------

_PACKAGE_HEADER = re.compile(r"^\[\[package\]\][ \t]*$", re.MULTILINE)
_LOCAL_SOURCE = re.compile(r"^source[ \t]*=[ \t]*\{[ \t]*(editable|virtual|directory)[ \t]*=", re.MULTILINE)


def read_lock(path: str) -> dict[str, Any]:
    """The lock's top level and its workspace members' `[[package]]` tables. Registry packages
    (most of a large lock) are skipped without being parsed: the verdict never reads them."""
    text = reading.read_text(path)
    starts = [match.start() for match in _PACKAGE_HEADER.finditer(text)]
    head_end = starts[0] if starts else len(text)
    lock = _parse_part(path, text, 0, head_end)
    packages = []
    for start, end in zip(starts, [*starts[1:], len(text)]):
        block = text[start:end]
        if _LOCAL_SOURCE.search(block):
            packages.extend(_parse_part(path, text, start, end).get("package", []))
    lock["package"] = packages
    if not isinstance(lock.get("version"), int):
        raise InputError(path, "has no integer `version`, so it is not a uv lock: run `uv lock`")
    if lock["version"] != 1:
        raise InputError(path, f"has lock version {lock['version']}; uv reads version 1 only: run `uv lock`", reading.line_of(text, r"^version\s*="))
    return lock


def _parse_part(path: str, text: str, start: int, end: int) -> dict[str, Any]:
    offset = text.count("\n", 0, start)
    try:
        return reading.parse_toml(path, text[start:end])
    except InputError as error:
        raise InputError(path, error.message, error.line + offset, error.col) from None


def _table(value: Any, path: str, where: str) -> dict[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise InputError(path, f"`{where}` is not a table")
    return value


def workspace(root: str) -> list[Member]:
    """The workspace members under `root` (the root itself first when it is a project)."""
    path = os.path.join(root, "pyproject.toml")
    data = reading.read_toml(path)
    members = []
    if "project" in data:
        members.append(Member(canonical(str(_table(data["project"], path, "project").get("name", ""))), ".", data))
    uv = _table(_table(data.get("tool"), path, "tool").get("uv"), path, "tool.uv")
    spec = _table(uv.get("workspace"), path, "tool.uv.workspace")
    excluded = {os.path.normpath(p) for pattern in spec.get("exclude", []) for p in glob.glob(os.path.join(root, pattern))}
    for pattern in spec.get("members", []):
        for directory in sorted(glob.glob(os.path.join(root, pattern))):
            member_file = os.path.join(directory, "pyproject.toml")
            if os.path.normpath(directory) in excluded or not os.path.isfile(member_file):
                continue
            member = reading.read_toml(member_file)
            name = _table(member.get("project"), member_file, "project").get("name", "")
            members.append(Member(canonical(str(name)), os.path.relpath(directory, root).replace(os.sep, "/"), member))
    return members


# -- normalisation -----------------------------------------------------------------------------


def _specifier_meaning(text: str) -> frozenset[tuple[str, str]]:
    """A specifier set as (operator, version) pairs, versions compared as PEP 440 does
    (`1.16` is `1.16.0`); clause order and spacing do not matter."""
    from packaging.specifiers import SpecifierSet
    from packaging.version import InvalidVersion, Version

    meaning = set()
    for spec in SpecifierSet(text or ""):
        version = spec.version
        if not version.endswith(".*"):
            try:
                parsed = Version(version)
                release = list(parsed.release)
                while len(release) > 1 and release[-1] == 0:
                    release.pop()
                version = repr((parsed.epoch, tuple(release), parsed.pre, parsed.post, parsed.dev, parsed.local))
            except InvalidVersion:
                pass
        meaning.add((spec.operator, version))
    return frozenset(meaning)


def _marker_variables(marker: Any) -> list[tuple[str, str]]:
    found = []

    def walk(node: Any) -> None:
        if isinstance(node, list):
            for item in node:
                walk(item)
        elif isinstance(node, tuple) and len(node) == 3:
            left, _, right = node
            for side, other in ((left, right), (right, left)):
                if type(side).__name__ == "Variable" and type(other).__name__ == "Value":
                    found.append((side.value, other.value))

    walk(marker._markers)
    return found


_PYTHON_CANDIDATES = [f"3.{minor}.{patch}" for minor in range(0, 20) for patch in (0, 1, 5, 99)] + ["2.7.18"]


@functools.lru_cache(maxsize=None)
def _pythons(requires_python: str) -> tuple[str, ...]:
    from packaging.specifiers import SpecifierSet

    allowed = SpecifierSet(requires_python or "")
    return tuple(v for v in _PYTHON_CANDIDATES if allowed.contains(v, prereleases=True))


@functools.lru_cache(maxsize=4096)
def _marker(text: str) -> Any:
    from packaging.markers import Marker

    return Marker(text)


@functools.lru_cache(maxsize=4096)
def marker_meaning(marker_text: str | None, requires_python: str, others: tuple[tuple[str, str], ...] = ()) -> frozenset[Any]:
    """The environments (within requires-python) where the marker holds, as a truth table over
    the literals it and `others` mention: two markers mean the same where their tables agree.
    Cached: a workspace, and a monorepo, repeat the same markers."""
    marker = _marker(marker_text) if marker_text else None
    variables = (_marker_variables(marker) if marker else []) + list(others)
    pythons = _pythons(requires_python)
    values: dict[str, set[str]] = {}
    for name, value in variables:
        if name in ("python_version", "python_full_version", "extra"):
            continue
        values.setdefault(name, {"\0other"}).add(value)
    extra_values = sorted({canonical(v) for n, v in variables if n == "extra"} | {"\0none"})
    names = sorted(values)
    table = set()
    for combination in itertools.islice(itertools.product(*(sorted(values[n]) for n in names)), 4096):
        base = dict(zip(names, combination))
        for python in pythons:
            environment = {**base, "python_full_version": python, "python_version": ".".join(python.split(".")[:2]), "implementation_version": python}
            for extra in extra_values:
                environment["extra"] = extra
                holds = marker.evaluate(environment) if marker else True
                if holds:
                    table.add((combination, python, extra))
    return frozenset(table)


def _source_key(entry: dict[str, Any]) -> tuple[str, str] | None:
    for kind in ("editable", "directory", "path", "virtual", "git", "url", "index"):
        if kind in entry:
            return kind, str(entry[kind])
    return None


@dataclass(frozen=True)
class Requirement:
    name: str
    extras: tuple[str, ...]
    specifier: frozenset[tuple[str, str]]  # by meaning
    marker: str | None
    source: tuple[str, str] | None
    shown_specifier: str = field(default="", compare=False)  # as written, for messages

    def describe(self) -> str:
        extras = f"[{','.join(self.extras)}]" if self.extras else ""
        marker = f" ; {self.marker}" if self.marker else ""
        source = f" ({self.source[0]} {self.source[1]})" if self.source else ""
        return f"{self.name}{extras}{self.shown_specifier}{marker}{source}"


def _lower_source(name: str, sources: dict[str, Any], indexes: dict[str, str], member_dir: str, members: dict[str, str]) -> tuple[str, str] | None:
    source = sources.get(name) or sources.get(canonical(name))
    if not isinstance(source, dict):
        return None
    if source.get("workspace"):
        return "editable", members.get(canonical(name), name)
    if "path" in source:
        path = os.path.normpath(os.path.join(member_dir, str(source["path"]))).replace(os.sep, "/")
        if source.get("editable"):
            return "editable", path
        return ("path", path) if re.search(r"\.(whl|tar\.gz|zip)$", path) else ("directory", path)
    if "git" in source:
        reference = next((f"?{kind}={source[kind]}" for kind in ("tag", "rev", "branch") if kind in source), "")
        return "git", re.sub(r"//[^/@]+@", "//", str(source["git"])) + reference
    if "url" in source:
        return "url", re.sub(r"//[^/@]+@", "//", str(source["url"]))
    if "index" in source:
        return "index", indexes.get(str(source["index"]), str(source["index"]))
    return None


def from_pep508(text: str, extra: str | None, context: dict[str, Any]) -> Requirement:
    from packaging.requirements import Requirement as Pep508

    requirement = Pep508(text)
    marker = str(requirement.marker) if requirement.marker else None
    if extra is not None:
        marker = f"({marker}) and extra == '{extra}'" if marker else f"extra == '{extra}'"
    source = _lower_source(requirement.name, context["sources"], context["indexes"], context["member_dir"], context["members"])
    if source is None and requirement.url:
        source = ("url", requirement.url)
    # uv drops the version specifier of a requirement it takes from a local path.
    local = source is not None and source[0] in ("editable", "directory", "path")
    specifier = "" if local else str(requirement.specifier)
    return Requirement(canonical(requirement.name), tuple(sorted(canonical(e) for e in requirement.extras)), _specifier_meaning(specifier), marker, source, specifier)


def from_lock(entry: Any, path: str) -> Requirement:
    if not isinstance(entry, dict) or not isinstance(entry.get("name"), str):
        raise InputError(path, "has a requires-dist entry without a name")
    source = _source_key(entry)
    specifier = str(entry.get("specifier", ""))
    return Requirement(
        canonical(entry["name"]),
        tuple(sorted(canonical(e) for e in entry.get("extras", []))),
        _specifier_meaning(specifier),
        entry.get("marker"),
        source,
        specifier,
    )


def _same(ours: list[Requirement], theirs: list[Requirement], requires_python: str) -> tuple[list[str], list[str]]:
    """Requirements only in `ours`, only in `theirs` (as text), markers compared by meaning."""

    def key(requirement: Requirement, others: tuple[tuple[str, str], ...]) -> tuple[Any, ...]:
        return (requirement.name, requirement.extras, requirement.specifier, requirement.source, marker_meaning(requirement.marker, requires_python, others))

    found: set[tuple[str, str]] = set()
    for requirement in [*ours, *theirs]:
        if requirement.marker:
            found.update(_marker_variables(_marker(requirement.marker)))
    literals = tuple(sorted(found))
    left = {key(r, literals): r for r in ours}
    right = {key(r, literals): r for r in theirs}
    return [left[k].describe() for k in left if k not in right], [right[k].describe() for k in right if k not in left]


# -- the comparison ------------------------------------------------------------------------------


def compare(root: str, lock_path: str) -> Comparison:
    result = Comparison()
    lock = read_lock(lock_path)
    members = workspace(root)
    root_data = reading.read_toml(os.path.join(root, "pyproject.toml"))
    uv = root_data.get("tool", {}).get("uv", {}) if isinstance(root_data.get("tool"), dict) else {}
    uv = uv if isinstance(uv, dict) else {}
    options = _table(lock.get("options"), lock_path, "options")
    for setting, lock_key, default in SETTINGS:
        declared, locked = uv.get(setting), options.get(lock_key)
        if declared is not None and str(declared) != str(locked if locked is not None else default):
            result.differences.append(f"[tool.uv] {setting} is {declared!r}, the lock was resolved with {locked if locked is not None else default!r}")
        elif declared is None and locked is not None and str(locked) != str(default):
            result.unknowns.append(f"the lock was resolved with {lock_key} = {locked!r}, which pyproject.toml does not set (uv.toml, the command line or UV_* may)")
    requires = [str(m.pyproject.get("project", {}).get("requires-python")) for m in members if m.pyproject.get("project", {}).get("requires-python")]
    declared_python = ",".join(requires)
    locked_python = str(lock.get("requires-python", ""))
    if _python_range(declared_python) != _python_range(locked_python):
        result.differences.append(f"requires-python is {declared_python or 'unset'!r}, the lock has {locked_python or 'none'!r}")
    manifest = _table(lock.get("manifest"), lock_path, "manifest")
    if len(members) > 1 and set(map(canonical, manifest.get("members", []))) != {m.name for m in members}:
        result.differences.append(f"the workspace members are {', '.join(sorted(m.name for m in members))}, the lock has {', '.join(sorted(manifest.get('members', []))) or 'none'}")
    packages = {canonical(str(p.get("name"))): p for p in lock.get("package", []) if isinstance(p, dict)}
    member_dirs = {m.name: m.directory for m in members}
    indexes = {str(i.get("name")): str(i.get("url")) for i in uv.get("index", []) if isinstance(i, dict)}
    for setting, lock_key in (("constraint-dependencies", "constraints"), ("override-dependencies", "overrides")):
        context = {"sources": uv.get("sources", {}), "indexes": indexes, "member_dir": ".", "members": member_dirs}
        ours = [from_pep508(text, None, context) for text in uv.get(setting, [])]
        theirs = [from_lock(entry, lock_path) for entry in manifest.get(lock_key, [])]
        only_ours, only_theirs = _same(ours, theirs, locked_python)
        for text in only_ours:
            result.differences.append(f"[tool.uv] {setting} has {text}, which the lock does not")
        for text in only_theirs:
            result.differences.append(f"the lock's {lock_key} has {text}, which [tool.uv] {setting} does not")
    for member in members:
        _compare_member(member, packages.get(member.name), uv, indexes, member_dirs, locked_python, lock_path, result)
    return result


@functools.lru_cache(maxsize=None)
def _python_range(specifier: str) -> frozenset[str]:
    from packaging.specifiers import InvalidSpecifier, SpecifierSet

    try:
        allowed = SpecifierSet(specifier)
    except InvalidSpecifier:
        return frozenset({specifier})
    return frozenset(v for v in _PYTHON_CANDIDATES if allowed.contains(v, prereleases=True))


def _compare_member(member: Member, package: Any, root_uv: dict[str, Any], indexes: dict[str, str], member_dirs: dict[str, str], requires_python: str, lock_path: str, result: Comparison) -> None:
    project = member.pyproject.get("project", {})
    label = f"`{member.name}`" if member.directory == "." else f"`{member.name}` ({member.directory})"
    if package is None:
        result.differences.append(f"{label} is not in the lock")
        return
    dynamic = set(project.get("dynamic", []))
    if "dependencies" in dynamic or "optional-dependencies" in dynamic:
        result.unknowns.append(f"{label} declares its dependencies dynamically, which only a build can tell")
    if "version" in dynamic:
        result.unknowns.append(f"{label} declares its version dynamically")
    elif "version" in project and package.get("version") is not None:
        from packaging.version import InvalidVersion, Version

        try:
            equal = Version(str(project["version"])) == Version(str(package["version"]))
        except InvalidVersion:
            equal = str(project["version"]) == str(package["version"])
        if not equal:
            result.differences.append(f"{label} has version {project['version']}, the lock has {package['version']}")
    metadata = package.get("metadata")
    if not isinstance(metadata, dict):
        result.unknowns.append(f"the lock records no metadata for {label} (written with lock-without-metadata?)")
        return
    member_uv = member.pyproject.get("tool", {}).get("uv", {}) if isinstance(member.pyproject.get("tool"), dict) else {}
    sources = {**root_uv.get("sources", {}), **(member_uv.get("sources", {}) if isinstance(member_uv, dict) else {})}
    context = {"sources": sources, "indexes": indexes, "member_dir": member.directory, "members": member_dirs}
    if "dependencies" not in dynamic and "optional-dependencies" not in dynamic:
        ours = [from_pep508(text, None, context) for text in project.get("dependencies", [])]
        for extra, texts in project.get("optional-dependencies", {}).items():
            ours += [from_pep508(text, canonical(extra), context) for text in texts]
        theirs = [from_lock(entry, lock_path) for entry in metadata.get("requires-dist", [])]
        only_ours, only_theirs = _same(ours, theirs, requires_python)
        for text in only_ours:
            result.differences.append(f"{label} requires {text}, which the lock does not record")
        for text in only_theirs:
            result.differences.append(f"the lock records {label} requiring {text}, which pyproject.toml no longer says")
        extras = {canonical(e) for e in project.get("optional-dependencies", {})}
        locked_extras = {canonical(e) for e in metadata.get("provides-extras", [])}
        if "provides-extras" in metadata and extras != locked_extras:
            result.differences.append(f"{label} provides extras {sorted(extras)}, the lock has {sorted(locked_extras)}")
    groups = _groups(member.pyproject)
    if isinstance(member_uv, dict) and member_uv.get("dev-dependencies"):
        groups.setdefault("dev", []).extend(member_uv["dev-dependencies"])
    locked_groups = metadata.get("requires-dev", {})
    if set(groups) != {canonical(g) for g in locked_groups}:
        result.differences.append(f"{label} has dependency groups {sorted(groups) or 'none'}, the lock has {sorted(canonical(g) for g in locked_groups) or 'none'}")
        return
    for group, texts in groups.items():
        locked = next(entries for name, entries in locked_groups.items() if canonical(name) == group)
        only_ours, only_theirs = _same([from_pep508(t, None, context) for t in texts], [from_lock(e, lock_path) for e in locked], requires_python)
        for text in only_ours:
            result.differences.append(f"{label}'s group {group} has {text}, which the lock does not record")
        for text in only_theirs:
            result.differences.append(f"the lock records {text} in {label}'s group {group}, which pyproject.toml no longer has")


def _groups(pyproject: dict[str, Any]) -> dict[str, list[str]]:
    """`[dependency-groups]`, names canonical, `include-group` flattened."""
    raw = pyproject.get("dependency-groups", {})
    raw = raw if isinstance(raw, dict) else {}
    by_name = {canonical(name): entries for name, entries in raw.items()}

    def flatten(name: str, seen: tuple[str, ...]) -> list[str]:
        found = []
        for entry in by_name.get(name, []):
            if isinstance(entry, str):
                found.append(entry)
            elif isinstance(entry, dict) and "include-group" in entry:
                included = canonical(str(entry["include-group"]))
                if included not in seen:
                    found.extend(flatten(included, (*seen, included)))
        return found

    return {name: flatten(name, (name,)) for name in by_name}
