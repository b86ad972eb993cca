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


# What the verdict parses of a lock: its top level and its workspace members' tables (55 kB in the
# largest lock of the corpus, whose whole is 1.8 MB).
MAX_WORKSPACE_CHARACTERS = 512 * 1024


def read_lock(path: str) -> dict[str, Any]:
    """The lock's top level and its workspace members' `[[package]]` tables. Registry packages
    (most of a large lock) are skipped without being parsed: the verdict never reads them."""
    text = reading.read_text(path)
    starts = [match.start() for match in _PACKAGE_HEADER.finditer(text)]
    head_end = starts[0] if starts else len(text)
    parts = [(0, head_end)] + [(start, end) for start, end in zip(starts, [*starts[1:], len(text)]) if _LOCAL_SOURCE.search(text, start, end)]
    size = sum(end - start for start, end in parts)
    if size > MAX_WORKSPACE_CHARACTERS:
        raise InputError(path, f"has {size:,} characters of top-level settings and workspace members' tables, over lockguard's limit of {MAX_WORKSPACE_CHARACTERS:,} (real locks have a few thousand)")
    lock = _parse_part(path, text, 0, head_end)
    packages = []
    for start, end in parts[1:]:
        packages.extend(_parse_part(path, text, start, end).get("package", []))
    lock["package"] = packages
    if not isinstance(lock.get("version"), int) or isinstance(lock.get("version"), bool):
        raise InputError(path, "has no integer `version`, so it is not a uv lock: run `uv lock`")
    if lock["version"] != 1:
        raise InputError(path, f"has lock version {lock['version']}; uv reads version 1 only: run `uv lock`", reading.line_of(text, r"^version\s*="))
    _check_lock(path, lock)
    return lock


def _parse_part(path: str, text: str, start: int, end: int) -> dict[str, Any]:
    offset = text.count("\n", 0, start)
    try:
        return reading.parse_toml(path, text[start:end])
    except InputError as error:
        raise InputError(path, error.message, error.line + offset, error.col) from None


def _key_line(path: str, key: str) -> int:
    """The line of `key = …` or of a `[….key]` header in `path`, or 1."""
    text = reading.read_text(path)
    name = re.escape(key)
    line = reading.line_of(text, rf"^[ \t]*[\"']?{name}[\"']?[ \t]*=")
    return line if line > 1 else reading.line_of(text, rf"^[ \t]*\[\[?[^\]\n]*\b{name}[\"']?[ \t]*\]")


_KINDS = {dict: "a table", list: "an array", str: "a string"}


def _table(value: Any, path: str, where: str) -> dict[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise InputError(path, f"`{where}` is not a table", _key_line(path, where.rsplit(".", 1)[-1]))
    return value


def _check(container: dict[str, Any], key: str, kind: type, path: str, where: str, items: type | None = None) -> None:
    """`container[key]`, when present, is of `kind` (and, for an array, holds `items` only)."""
    value = container.get(key)
    name = f"{where}.{key}" if where else key
    if value is not None and not isinstance(value, kind):
        raise InputError(path, f"`{name}` is not {_KINDS[kind]}, which uv cannot read: fix it, then run `uv lock`", _key_line(path, key))
    if items is not None and value is not None and not all(isinstance(item, items) for item in value):
        raise InputError(path, f"`{name}` holds something that is not {_KINDS[items]}, which uv cannot read: fix it, then run `uv lock`", _key_line(path, key))


def _check_pyproject(path: str, data: dict[str, Any]) -> None:
    """The keys of a pyproject.toml the comparison reads have the types uv requires."""
    project = _table(data.get("project"), path, "project")
    for key in ("name", "version", "requires-python"):
        _check(project, key, str, path, "project")
    for key in ("dynamic", "dependencies"):
        _check(project, key, list, path, "project", str)
    _check(project, "optional-dependencies", dict, path, "project")
    for extra, requirements in project.get("optional-dependencies", {}).items():
        _check({extra: requirements}, extra, list, path, "project.optional-dependencies", str)
    for group, entries in _table(data.get("dependency-groups"), path, "dependency-groups").items():
        _check({group: entries}, group, list, path, "dependency-groups")
        for entry in entries:
            if not isinstance(entry, str) and not (isinstance(entry, dict) and isinstance(entry.get("include-group"), str)):
                raise InputError(path, f"`dependency-groups.{group}` holds something that is neither a requirement nor an `include-group`", _key_line(path, group))
    uv = _table(_table(data.get("tool"), path, "tool").get("uv"), path, "tool.uv")
    _check(uv, "sources", dict, path, "tool.uv")
    _check(uv, "index", list, path, "tool.uv", dict)
    for key in ("constraint-dependencies", "override-dependencies", "dev-dependencies"):
        _check(uv, key, list, path, "tool.uv", str)
    workspace = _table(uv.get("workspace"), path, "tool.uv.workspace")
    for key in ("members", "exclude"):
        _check(workspace, key, list, path, "tool.uv.workspace", str)


def _check_lock(path: str, lock: dict[str, Any]) -> None:
    """The keys of a uv.lock the comparison reads have the types uv writes."""
    _check(lock, "requires-python", str, path, "")
    _table(lock.get("options"), path, "options")
    manifest = _table(lock.get("manifest"), path, "manifest")
    _check(manifest, "members", list, path, "manifest", str)
    for key in ("constraints", "overrides"):
        _check(manifest, key, list, path, "manifest")
    for package in lock["package"]:  # each a table with a `name` (reading.parse_toml checks it)
        metadata = package.get("metadata")
        if isinstance(metadata, dict):
            _check(metadata, "requires-dist", list, path, "package.metadata")
            _check(metadata, "provides-extras", list, path, "package.metadata", str)
            _check(metadata, "requires-dev", dict, path, "package.metadata")
            for group, entries in metadata.get("requires-dev", {}).items():
                _check({group: entries}, group, list, path, "package.metadata.requires-dev")


def workspace(root: str) -> list[Member]:
    """The workspace members under `root` (the root itself first when it is a project)."""
    path = os.path.join(root, "pyproject.toml")
    data = reading.read_toml(path)
    _check_pyproject(path, data)
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
            _check_pyproject(member_file, member)
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
            except (InvalidVersion, ValueError):  # ValueError: a number over Python's digit limit
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


# Markers are compared by meaning: a truth table per marker. What one costs is bounded: a marker
# is evaluated on the variables it names only (the others cannot change it), a variable it
# compares with `==` and `!=` only on the values it names plus one that stands for all the others,
# and the comparison of a project stops after this many evaluations (the most any project of the
# corpus needs is 1,232; each takes 10 to 20 microseconds).
MAX_MARKER_EVALUATIONS = 20_000
_PYTHON_VARIABLES = ("python_version", "python_full_version", "implementation_version")
_OTHER = "\0other"  # a value no marker names
_evaluations = [0]  # in the comparison under way


class _TooVaried(Exception):
    """The markers of a project need more than MAX_MARKER_EVALUATIONS evaluations."""


def _comparisons(marker: Any) -> list[tuple[str, str, str]]:
    """(variable, operator, value) of each comparison of a variable with a literal."""
    found = []
    stack = [marker._markers]
    while stack:
        node = stack.pop()
        if isinstance(node, list):
            stack.extend(node)
        elif isinstance(node, tuple) and len(node) == 3:
            left, operator, right = node
            for side, other in ((left, right), (right, left)):
                if type(side).__name__ == "Variable" and type(other).__name__ == "Value":
                    found.append((side.value, operator.value, other.value))
    return found


def _axes(comparisons: list[tuple[str, str, str]], others: tuple[tuple[str, str], ...]) -> list[tuple[str, list[str]]]:
    """The values each variable a marker names is evaluated on (the python ones excepted)."""
    axes = []
    for name in sorted({name for name, _, _ in comparisons} - set(_PYTHON_VARIABLES)):
        mine = [(operator, value) for variable, operator, value in comparisons if variable == name]
        values = {value for _, value in mine}
        if any(operator not in ("==", "!=") for operator, _ in mine):
            # An ordering (`<`, `in`, `~=`): every value named anywhere may fall differently.
            values |= {value for variable, value in others if variable == name}
        if name == "extra":
            values = {canonical(value) for value in values}
        axes.append((name, sorted(values | {_OTHER})))
    return axes


def _reduced(table: dict[tuple[Any, ...], bool], axes: list[tuple[str, list[str]]], pythons: tuple[str, ...]) -> frozenset[Any]:
    """`table` (over the axes, then python) in a form that depends only on the function it
    describes: each axis keeps the values that do not behave as `_OTHER`, an axis (or python) the
    function does not depend on is dropped. Two markers mean the same where these are equal."""
    kept = []
    for index in range(len(axes)):
        # For each point of the other axes, the results along this one: a value is kept where it
        # differs from `_OTHER`'s.
        along: dict[tuple[Any, ...], dict[str, bool]] = {}
        for key, holds in table.items():
            along.setdefault(key[:index] + key[index + 1 :], {})[key[index]] = holds
        kept.append(frozenset(value for line in along.values() for value, holds in line.items() if value != _OTHER and holds != line.get(_OTHER)))
    python_matters = len(pythons) > 1 and any(
        len({table.get((*key[:-1], python)) for python in pythons}) > 1 for key in table
    )
    holds = set()
    for key, value in table.items():
        if value and all(key[index] in kept[index] or key[index] == _OTHER for index in range(len(axes))):
            holds.add(tuple((axes[index][0], key[index]) for index in range(len(axes)) if kept[index]) + ((key[-1],) if python_matters else ()))
    shape = tuple((name, kept[index]) for index, (name, _) in enumerate(axes) if kept[index])
    return frozenset({("depends on", shape, python_matters), *(("holds", point) for point in holds)})


@functools.lru_cache(maxsize=4096)
def marker_meaning(marker_text: str | None, requires_python: str, others: tuple[tuple[str, str], ...] = ()) -> frozenset[Any]:
    """The environments (within requires-python) where the marker holds, as a truth table over
    the literals it and `others` mention, reduced to what the marker depends on: two markers
    mean the same where these agree. Cached: a workspace, and a monorepo, repeat the same
    markers."""
    pythons = _pythons(requires_python)
    if not pythons:
        return frozenset()
    marker = _marker(marker_text) if marker_text else None
    comparisons = _comparisons(marker) if marker else []
    axes = _axes(comparisons, others)
    python_axis = pythons if any(name in _PYTHON_VARIABLES for name, _, _ in comparisons) else pythons[:1]
    table: dict[tuple[Any, ...], bool] = {}
    for combination in itertools.islice(itertools.product(*(values for _, values in axes)), 4096):
        _evaluations[0] += len(python_axis)
        if _evaluations[0] > MAX_MARKER_EVALUATIONS:
            raise _TooVaried
        environment = dict(zip((name for name, _ in axes), combination))
        for python in python_axis:
            environment.update(python_full_version=python, python_version=".".join(python.split(".")[:2]), implementation_version=python)
            environment.setdefault("extra", _OTHER)
            table[(*combination, python)] = marker.evaluate(environment) if marker else True
    return _reduced(table, axes, python_axis)


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
        raise InputError(path, "has a requires-dist entry without a name", _key_line(path, "requires-dist"))
    extras, marker, specifier = entry.get("extras", []), entry.get("marker"), entry.get("specifier", "")
    if not isinstance(extras, list) or not all(isinstance(extra, str) for extra in extras) or not isinstance(marker, (str, type(None))) or not isinstance(specifier, str):
        raise InputError(path, f"records `{entry['name']}` with extras, a marker or a specifier of the wrong type: run `uv lock`", _key_line(path, "requires-dist"))
    try:
        if marker:
            _marker(marker)
        meaning = _specifier_meaning(specifier)
    except ValueError as error:  # packaging's InvalidMarker and InvalidSpecifier
        raise InputError(path, f"records `{entry['name']}` with a marker or specifier uv cannot read ({' '.join(str(error).split())}): run `uv lock`", _key_line(path, "requires-dist")) from None
    return Requirement(canonical(entry["name"]), tuple(sorted(canonical(e) for e in extras)), meaning, marker, _source_key(entry), specifier)


def _from_pep508_all(texts: list[str], extra: str | None, context: dict[str, Any], path: str, where: str) -> list[Requirement]:
    """`from_pep508` of each of `texts`, the entries of `where` in `path`."""
    found = []
    for text in texts:
        try:
            found.append(from_pep508(text, extra, context))
        except ValueError as error:  # packaging's InvalidRequirement
            raise InputError(path, f"`{where}` holds {text!r}, which is not a requirement uv can read ({' '.join(str(error).split())})", _key_line(path, where.rsplit(".", 1)[-1])) from None
    return found


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
    _evaluations[0] = 0
    try:
        return _compare(root, lock_path)
    except _TooVaried:
        raise InputError(lock_path, f"has requirement markers too varied to compare without uv (over {MAX_MARKER_EVALUATIONS:,} environments to evaluate): run `uv lock --check`") from None


def _compare(root: str, lock_path: str) -> Comparison:
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
    try:
        _pythons(locked_python)
    except ValueError:  # packaging's InvalidSpecifier, or a number over Python's digit limit
        raise InputError(lock_path, f"has requires-python {locked_python!r}, which is not a version specifier: run `uv lock`", _key_line(lock_path, "requires-python")) from None
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
        ours = _from_pep508_all(uv.get(setting, []), None, context, os.path.join(root, "pyproject.toml"), f"tool.uv.{setting}")
        theirs = [from_lock(entry, lock_path) for entry in manifest.get(lock_key, [])]
        only_ours, only_theirs = _same(ours, theirs, locked_python)
        for text in only_ours:
            result.differences.append(f"[tool.uv] {setting} has {text}, which the lock does not")
        for text in only_theirs:
            result.differences.append(f"the lock's {lock_key} has {text}, which [tool.uv] {setting} does not")
    for member in members:
        _compare_member(member, packages.get(member.name), uv, indexes, member_dirs, locked_python, lock_path, result, root)
    return result


@functools.lru_cache(maxsize=None)
def _python_range(specifier: str) -> frozenset[str]:
    from packaging.specifiers import InvalidSpecifier, SpecifierSet

    try:
        allowed = SpecifierSet(specifier)
        return frozenset(v for v in _PYTHON_CANDIDATES if allowed.contains(v, prereleases=True))
    except (InvalidSpecifier, ValueError):  # ValueError: a number over Python's digit limit
        return frozenset({specifier})


def _compare_member(member: Member, package: Any, root_uv: dict[str, Any], indexes: dict[str, str], member_dirs: dict[str, str], requires_python: str, lock_path: str, result: Comparison, root: str) -> None:
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
        except (InvalidVersion, ValueError):  # ValueError: a number over Python's digit limit
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
    member_path = os.path.normpath(os.path.join(root, member.directory, "pyproject.toml"))
    if "dependencies" not in dynamic and "optional-dependencies" not in dynamic:
        ours = _from_pep508_all(project.get("dependencies", []), None, context, member_path, "project.dependencies")
        for extra, texts in project.get("optional-dependencies", {}).items():
            ours += _from_pep508_all(texts, canonical(extra), context, member_path, f"project.optional-dependencies.{extra}")
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
        only_ours, only_theirs = _same(_from_pep508_all(texts, None, context, member_path, f"dependency-groups.{group}"), [from_lock(e, lock_path) for e in locked], requires_python)
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
