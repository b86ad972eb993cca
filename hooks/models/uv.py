"""uv.lock against its workspace: the static comparison `uv lock --check` makes first.

uv.lock records no hash. uv validates it by comparing what the lock says each workspace member
declared (`[package.metadata]`) with what the pyprojects declare now, after normalising both
sides (`spec/lock-freshness.md` §3): names canonical, extras sorted, specifiers by meaning,
markers by meaning within `requires-python` (`uv_markers`), `[tool.uv.sources]` lowered to the
form the lock stores (split per marker where a source is a list), dependency groups with
`include-group` flattened. This module does that comparison and lists the differences, each at
the line of the pyproject.toml that says it; what it cannot see statically (dynamic
dependencies, settings from uv.toml, the command line or `UV_*` variables) is returned as
unknowns.
"""

from __future__ import annotations

import datetime
import os
import re
from collections import namedtuple
from typing import Any

from hooks import reading
from hooks.findings import InputError
from hooks.models import plain_pep508
from hooks.models import uv_markers as markers
from hooks.models.names import canonical

# (pyproject key in [tool.uv], key in the lock's [options], what uv writes for each value: None
# for the values it leaves out). uv 0.13.9 writes nothing for the default and for
# `prerelease = "if-necessary"`.
SETTINGS = (
    ("resolution", "resolution-mode", {"highest": None}),
    ("prerelease", "prerelease-mode", {"if-necessary-or-explicit": None, "if-necessary": None}),
    ("fork-strategy", "fork-strategy", {"requires-python": None}),
)
# [tool.uv] lists and where the lock's [manifest] keeps them.
MANIFEST_LISTS = (("constraint-dependencies", "constraints"), ("override-dependencies", "overrides"), ("build-constraint-dependencies", "build-constraints"))


class Difference(namedtuple("Difference", ("path", "line", "text"))):
    """One thing the lock and a pyproject.toml disagree on, at the pyproject line that says it."""

    __slots__ = ()


# Named tuples, not dataclasses: `dataclasses` (with `inspect`) would cost uv-lock a tenth of its start-up.
class Comparison(namedtuple("Comparison", ("differences", "unknowns"))):
    """What differs (`differences`) and what could not be judged (`unknowns`)."""

    __slots__ = ()

    def __new__(cls) -> Comparison:
        return super().__new__(cls, [], [])


class Member(namedtuple("Member", ("name", "directory", "pyproject", "path", "nested"), defaults=(False,))):
    """A workspace member: `directory` relative to the workspace root ("." for the root), `path`
    of its pyproject.toml; `nested` when below another project's pyproject.toml, where the
    workspace's sources do not reach it."""

    __slots__ = ()


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
    try:
        return reading.parse_toml(path, text[start:end])
    except InputError as error:
        # Counted only on error: counting for every member of a large lock costs more than parsing.
        raise InputError(path, error.message, error.line + text.count("\n", 0, start), error.col) from None


def _table(value: Any, path: str, where: str) -> dict[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise InputError(path, f"`{where}` is not a table")
    return value


def _uv_table(data: dict[str, Any], path: str) -> dict[str, Any]:
    return _table(_table(data.get("tool"), path, "tool").get("uv"), path, "tool.uv")


def _member_directories(root: str, spec: dict[str, Any], path: str) -> list[str]:
    """The directories `[tool.uv.workspace] members` names, minus `exclude`. A pattern that
    leads outside the repository is refused, not globbed: it could walk the whole disk."""
    import glob  # only workspaces glob

    text = reading.read_text(path)

    def expand(pattern: Any) -> list[str]:
        pattern = str(pattern)
        joined = os.path.normpath(os.path.join(root, pattern))
        if os.path.isabs(pattern) or joined.split(os.sep, 1)[0] == os.pardir or reading.outside(joined.split("*")[0].split("?")[0].split("[")[0] or os.curdir):
            line = reading.line_of(text, rf"""["']{re.escape(pattern)}["']""")
            raise InputError(path, f"has the workspace member pattern {pattern!r}, which leads outside the repository, so lockguard does not follow it: keep members below the workspace root", line)
        found = sorted(glob.glob(joined))
        if any(reading.outside(directory) for directory in found):
            raise InputError(
                path,
                f"has the workspace member pattern {pattern!r}, which matches a directory leading outside the repository (a symlink), so lockguard does not follow it",
                reading.line_of(text, rf"""["']{re.escape(pattern)}["']"""),
            )
        return found

    excluded = {os.path.normpath(p) for pattern in spec.get("exclude", []) for p in expand(pattern)}
    return [os.path.normpath(d) for pattern in spec.get("members", []) for d in expand(pattern) if os.path.normpath(d) not in excluded]


def workspace(root: str) -> list[Member]:
    """The workspace members under `root` (the root itself first when it is a project)."""
    path = os.path.normpath(os.path.join(root, "pyproject.toml"))
    data = reading.read_toml(path)
    members = []
    if "project" in data:
        members.append(Member(canonical(str(_table(data["project"], path, "project").get("name", ""))), ".", data, path))
    spec = _table(_uv_table(data, path).get("workspace"), path, "tool.uv.workspace")
    for directory in dict.fromkeys(_member_directories(root, spec, path)):
        member_file = os.path.join(directory, "pyproject.toml")
        if os.path.normpath(directory) == os.path.normpath(root) or not reading.is_file(member_file):
            continue
        member = reading.read_toml(member_file)
        name = _table(member.get("project"), member_file, "project").get("name", "")
        relative = os.path.relpath(directory, root)
        members.append(Member(canonical(str(name)), relative.replace(os.sep, "/"), member, os.path.normpath(member_file), _below_a_project(root, relative)))
    return members


def _below_a_project(root: str, relative: str) -> bool:
    """Is a member below another project's pyproject.toml (one with `[project]` and no
    `[tool.uv.workspace]`)? uv reads such a member as a project of its own, without the
    workspace root's `[tool.uv.sources]`."""
    parts = relative.split(os.sep)
    for depth in range(1, len(parts)):
        candidate = os.path.join(root, *parts[:depth], "pyproject.toml")
        if reading.is_file(candidate):
            data = reading.read_toml(candidate)
            if "project" in data and "workspace" not in _uv_table(data, candidate):
                return True
    return False


def enclosing_workspace(directory: str) -> str | None:
    """The root of the workspace above `directory` that has it as a member, inside the
    repository: uv then uses that root's uv.lock, whatever lies beside the member."""
    current = os.path.normpath(directory)
    while current not in (os.curdir, "") and not os.path.isabs(current) and current.split(os.sep, 1)[0] != os.pardir:
        current = os.path.dirname(current) or os.curdir
        path = os.path.normpath(os.path.join(current, "pyproject.toml"))
        if reading.is_file(path):
            data = reading.read_toml(path)
            spec = _uv_table(data, path).get("workspace")
            if isinstance(spec, dict):
                members = {os.path.normpath(d) for d in _member_directories(current, spec, path)}
                return current if os.path.normpath(directory) in members else None
            if "project" in data:
                return None
        if current == os.curdir:
            break
    return None


# -- normalisation -----------------------------------------------------------------------------


def _specifier_meaning(text: str) -> frozenset[tuple[str, str]]:
    """A specifier set as (operator, version) pairs, versions compared as PEP 440 does
    (`1.16` is `1.16.0`); clause order and spacing do not matter."""
    plain = plain_pep508.clauses(text)
    if plain is not None:
        return frozenset((operator, _plain_version_key(version)) for operator, version in plain)
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


def _plain_version_key(version: str) -> str:
    """What `_specifier_meaning` makes of a plain release number, without packaging."""
    release = list(plain_pep508.release(version) or ())
    while len(release) > 1 and release[-1] == 0:
        release.pop()
    return repr((0, tuple(release), None, None, None, None))


def _source_key(entry: dict[str, Any]) -> tuple[str, str] | None:
    for kind in ("editable", "directory", "path", "virtual", "git", "url", "index"):
        if kind in entry:
            value = str(entry[kind])
            return kind, _git_key(value) if kind == "git" else value
    return None


def _git_key(url: str) -> str:
    """A git source as `<url>?<query>` with the query's parameters sorted: uv writes the
    subdirectory and the reference kind (`rev`, `tag`, `branch`) as parameters."""
    base, _, query = url.partition("?")
    return base + ("?" + "&".join(sorted(query.split("&"))) if query else "")


def _without_credentials(url: str) -> str:
    return re.sub(r"^(\w[\w+.-]*://)[^/@]*:[^/@]*@", r"\1", url)


class Requirement(namedtuple("Requirement", ("name", "extras", "specifier", "marker", "source", "shown_specifier", "shown_marker", "written"), defaults=("", "", ""))):
    """A requirement by meaning: `specifier` as (operator, version) pairs, `marker` a uv_markers
    node, `source` as the lock keys it; the `shown_*` fields as written, for messages, and
    `written` the PEP 508 string, to find its line. Compared by `_differences`' key only."""

    __slots__ = ()

    def describe(self) -> str:
        extras = f"[{','.join(self.extras)}]" if self.extras else ""
        marker = f" ; {self.shown_marker}" if self.shown_marker else ""
        source = f" ({self.source[0]} {self.source[1]})" if self.source else ""
        return f"{self.name}{extras}{self.shown_specifier}{marker}{source}"


class Context(namedtuple("Context", ("sources", "indexes", "members"))):
    """What lowering a member's requirement needs: its sources (each with the directory of the
    pyproject.toml that declares it, which its paths are relative to), the named indexes, and
    where every member is."""

    __slots__ = ()


def _lower(source: dict[str, Any], name: str, declared_in: str, context: Context) -> tuple[str, str] | None:
    if source.get("workspace"):
        return "editable", context.members.get(canonical(name), name)
    if "path" in source:
        path = os.path.normpath(os.path.join(declared_in, str(source["path"]))).replace(os.sep, "/")
        if source.get("editable"):
            return "editable", path
        return ("path", path) if re.search(r"\.(whl|tar\.gz|zip)$", path) else ("directory", path)
    if "git" in source:
        query = [f"subdirectory={source['subdirectory']}"] if "subdirectory" in source else []
        query += [f"{kind}={source[kind]}" for kind in ("tag", "rev", "branch") if kind in source]
        return "git", _git_key(_without_credentials(str(source["git"])) + ("?" + "&".join(query) if query else ""))
    if "url" in source:
        return "url", _without_credentials(str(source["url"]))
    if "index" in source:
        return "index", context.indexes.get(str(source["index"]), str(source["index"]))
    return None


def _direct_reference(url: str, context: Context) -> tuple[str, str]:
    """A PEP 508 `name @ url` as the lock records it: `git+URL@rev#subdirectory=x` as
    `git = "URL?rev=rev&subdirectory=x"`, a `file://` URL (with `${PROJECT_ROOT}`, the
    workspace root, expanded) as a `directory` or `path` relative to the workspace root."""
    url, _, fragment = url.partition("#")
    subdirectory = dict(p.partition("=")[::2] for p in fragment.split("&") if p).get("subdirectory")
    if url.startswith("git+"):
        base = url[4:]
        head, at, reference = base.rpartition("@")
        if at and "/" not in reference and "/" in head.split("://", 1)[-1]:
            base = head
        else:
            reference = ""
        query = ([f"subdirectory={subdirectory}"] if subdirectory else []) + ([f"rev={reference}"] if reference else [])
        return "git", _git_key(_without_credentials(base) + ("?" + "&".join(query) if query else ""))
    if url.startswith("file:"):
        from urllib.parse import unquote

        path = unquote(re.sub(r"^file:(//)?", "", url))
        # uv expands ${PROJECT_ROOT} to the workspace root, for a member too.
        path = path.replace("/${PROJECT_ROOT}", os.curdir).replace("${PROJECT_ROOT}", os.curdir)
        path = os.path.normpath(path).replace(os.sep, "/")
        return ("path", path) if re.search(r"\.(whl|tar\.gz|zip)$", path) else ("directory", path)
    return "url", _without_credentials(url + (f"#{fragment}" if fragment else ""))


def from_pep508(text: str, extra: str | None, context: Context) -> list[Requirement]:
    """The requirement as the lock records it: one entry, or one per marker where its source is
    a list of sources with markers (uv splits it, the rest of the marker space keeping no
    source)."""
    plain = plain_pep508.requirement(text)
    if plain is not None:
        written_name, written_extras, clauses, shown_marker = plain
        url, written_specifier = None, plain_pep508.specifier_text(clauses)
    else:
        from packaging.requirements import Requirement as Pep508

        requirement = Pep508(text)
        written_name, written_extras, url, written_specifier = requirement.name, tuple(requirement.extras), requirement.url, str(requirement.specifier)
        shown_marker = str(requirement.marker) if requirement.marker else ""
    marker = markers.meaning(shown_marker)
    if extra is not None:
        marker = markers.with_extra(marker, extra)
        shown_marker = f"({shown_marker}) and extra == '{extra}'" if shown_marker else f"extra == '{extra}'"
    name = canonical(written_name)
    extras = tuple(sorted({canonical(e) for e in written_extras}))
    declared, declared_in = context.sources.get(written_name, context.sources.get(name, (None, ".")))
    variants: list[tuple[int, dict[str, Any] | None, str]] = []
    if isinstance(declared, list):
        rest = marker
        for source in declared:
            if not isinstance(source, dict):
                continue
            condition = markers.meaning(source.get("marker"))
            if source.get("extra"):
                condition = markers.with_extra(condition, str(source["extra"]))
            variants.append((markers.conjoin(marker, condition), source, " and ".join(filter(None, (shown_marker, source.get("marker"))))))
            rest = markers.conjoin(rest, markers.negate(condition))
        variants.append((rest, None, shown_marker))
    else:
        variants.append((marker, declared if isinstance(declared, dict) else None, shown_marker))
    found = []
    for node, source, shown in variants:
        if node == markers.FALSE:
            continue
        lowered = _lower(source, name, declared_in, context) if source is not None else None
        if lowered is None and url:
            lowered = _direct_reference(url, context)
        # uv drops the version specifier of a requirement it takes from a local path.
        local = lowered is not None and lowered[0] in ("editable", "directory", "path")
        specifier = "" if local else written_specifier
        found.append(Requirement(name, extras, _specifier_meaning(specifier), node, lowered, specifier, shown, text))
    return found


def from_lock(entry: Any, path: str) -> Requirement:
    if not isinstance(entry, dict) or not isinstance(entry.get("name"), str):
        raise InputError(path, "has a requires-dist entry without a name")
    specifier = str(entry.get("specifier", ""))
    marker = str(entry.get("marker", ""))
    return Requirement(
        canonical(entry["name"]),
        tuple(sorted(canonical(e) for e in entry.get("extras", []))),
        _specifier_meaning(specifier),
        markers.meaning(marker),
        _source_key(entry),
        specifier,
        marker,
    )


def _line(text: str, requirement: Requirement, fallback: str) -> int:
    """The line of the pyproject.toml that writes `requirement`, else of `fallback` (a regex)."""
    if requirement.written:
        for quote in ('"', "'"):
            at = text.find(f"{quote}{requirement.written}{quote}")
            if at >= 0:
                return text.count("\n", 0, at) + 1
    return reading.line_of(text, fallback)


def _differences(ours: list[Requirement], theirs: list[Requirement], python: int, where: str, path: str, fallback: str) -> list[Difference]:
    """What differs between the requirements a pyproject declares (`ours`) and those the lock
    records, markers compared within requires-python (`python`): one difference per name."""

    def key(requirement: Requirement) -> tuple[Any, ...]:
        return (requirement.name, requirement.extras, requirement.specifier, requirement.source, markers.conjoin(requirement.marker, python))

    text = reading.read_text(path)
    left = {key(r): r for r in ours}
    right = {key(r): r for r in theirs}
    added: dict[str, list[Requirement]] = {}
    removed: dict[str, list[Requirement]] = {}
    for k, r in left.items():
        if k not in right:
            added.setdefault(r.name, []).append(r)
    for k, r in right.items():
        if k not in left:
            removed.setdefault(r.name, []).append(r)
    found = []
    for name in sorted(set(added) | set(removed)):
        now = ", ".join(r.describe() for r in added.get(name, []))
        before = ", ".join(r.describe() for r in removed.get(name, []))
        line = _line(text, added[name][0], fallback) if name in added else reading.line_of(text, fallback)
        if now and before:
            found.append(Difference(path, line, f"{where} {now}, the lock records {before}"))
        elif now:
            found.append(Difference(path, line, f"{where} {now}, which the lock does not record"))
        else:
            found.append(Difference(path, line, f"the lock still records that {where} {before}, which pyproject.toml no longer says"))
    return found


# -- the comparison ------------------------------------------------------------------------------

_SPAN_UNITS = {
    "y": "Y",
    "yr": "Y",
    "yrs": "Y",
    "year": "Y",
    "years": "Y",
    "mo": "M",
    "mos": "M",
    "month": "M",
    "months": "M",
    "w": "W",
    "wk": "W",
    "wks": "W",
    "week": "W",
    "weeks": "W",
    "d": "D",
    "day": "D",
    "days": "D",
    "h": "TH",
    "hr": "TH",
    "hrs": "TH",
    "hour": "TH",
    "hours": "TH",
    "m": "TM",
    "min": "TM",
    "mins": "TM",
    "minute": "TM",
    "minutes": "TM",
    "s": "TS",
    "sec": "TS",
    "secs": "TS",
    "second": "TS",
    "seconds": "TS",
}


def _span(text: str) -> dict[str, int] | None:
    """A relative `exclude-newer` ("7 days", "1 week", "P1W") as unit -> count, units kept as
    written (uv records "1 week" as P1W and "7 days" as P7D); None when it is no span."""
    text = text.strip()
    iso = re.fullmatch(r"P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?", text, re.IGNORECASE)
    if iso and text.upper() != "P":
        return {unit: int(count) for unit, count in zip(("Y", "M", "W", "D", "TH", "TM", "TS"), iso.groups()) if count}
    parts = re.findall(r"(\d+)\s*([a-z]+),?\s*", text.lower())
    if not parts or "".join(f"{n}{u}" for n, u in parts) != re.sub(r"[\s,]", "", text.lower()) or any(u not in _SPAN_UNITS for _, u in parts):
        return None
    span: dict[str, int] = {}
    for count, unit in parts:
        span[_SPAN_UNITS[unit]] = span.get(_SPAN_UNITS[unit], 0) + int(count)
    return span


def _instant(text: str) -> datetime.datetime | None:
    """An absolute `exclude-newer`: a date means the end of that day (uv records
    "2024-01-01" as 2024-01-02T00:00:00Z)."""
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text.strip()):
            return datetime.datetime.fromisoformat(text.strip()).replace(tzinfo=datetime.timezone.utc) + datetime.timedelta(days=1)
        return datetime.datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        return None


def _exclude_newer(declared: Any, options: dict[str, Any]) -> str | None:
    """Why a declared `exclude-newer` makes the lock stale, or None. A relative span is compared
    with the lock's `exclude-newer-span`, never with the time it was resolved at; an absolute
    cutoff only when it moved earlier than the lock's."""
    locked_span = options.get("exclude-newer-span")
    span = _span(str(declared))
    if span is not None:
        if locked_span is None or _span(str(locked_span)) != span:
            return f"[tool.uv] exclude-newer is {declared!r}, the lock was resolved with {locked_span or options.get('exclude-newer') or 'none'!r}"
        return None
    # An absolute cutoff moved later keeps every locked release: uv 0.13.9 accepts the lock then.
    locked = options.get("exclude-newer")
    now, before = _instant(str(declared)), _instant(str(locked)) if locked is not None else None
    if locked_span is not None or now is None or before is None or now < before:
        return f"[tool.uv] exclude-newer is {declared!r}, the lock was resolved with {locked_span or locked or 'none'!r}"
    return None


def _unreadable(settings: dict[str, Any], version: str) -> str | None:
    """Why uv `version` cannot read these [tool.uv] settings (or uv.toml), or None."""
    from hooks.models import tool_versions

    for key, first in tool_versions.UV_SETTINGS_FROM.items():
        if key in settings and tool_versions.before(version, first):
            return f"{key} is a setting uv before {first} does not know"
    declared = settings.get("exclude-newer")
    if declared is not None and _span(str(declared)) is not None and tool_versions.before(version, tool_versions.UV_RELATIVE_EXCLUDE_NEWER_FROM):
        return f"exclude-newer is {declared!r}, a relative span uv before {tool_versions.UV_RELATIVE_EXCLUDE_NEWER_FROM} cannot parse"
    return None


def pinned_differences(root: str, lock_path: str, version: str) -> list[Difference]:
    """What uv `version` reads differently from uv 0.13.9 in the workspace at `root`, as the
    Differences that make it reject the lock: settings it cannot read, when the lock records
    settings; a `required-version` it does not satisfy (tool_versions has the releases and
    their sources)."""
    found: list[Difference] = []
    root_path = os.path.normpath(os.path.join(root, "pyproject.toml"))
    uv = _uv_table(reading.read_toml(root_path), root_path)
    uv_toml = os.path.join(root, "uv.toml")
    options = _table(read_lock(lock_path).get("options"), lock_path, "options")
    unread = False
    for path, settings in ((root_path, uv), (uv_toml, reading.read_toml(uv_toml) if reading.is_file(uv_toml) else {})):
        why = _unreadable(settings, version)
        if why is not None:
            unread = True
            if options:
                key = why.split(" ", 1)[0]
                line = reading.line_of(reading.read_text(path), rf"^\s*{re.escape(key)}\s*=")
                recorded = ", ".join(sorted(options))
                found.append(Difference(path, line, f"{why}: uv {version} drops every setting of {os.path.basename(path)} and resolves anew, without the settings the lock records ({recorded})"))
    required = uv.get("required-version")
    if not unread and isinstance(required, str) and required.strip():  # a uv that drops the settings ignores it too
        from packaging.specifiers import InvalidSpecifier, SpecifierSet

        try:
            refuses = not SpecifierSet(required).contains(version, prereleases=True)
        except InvalidSpecifier:
            refuses = False  # uv-lock's comparison, or uv itself, reports it
        if refuses:
            line = reading.line_of(reading.read_text(root_path), r"^\s*required-version\s*=")
            found.append(Difference(root_path, line, f"[tool.uv] required-version is {required!r}, which uv {version} does not satisfy: it refuses to run"))
    return found


def compare(root: str, lock_path: str) -> Comparison:
    """What the lock records against what the workspace's pyprojects declare. A value of the
    wrong type, or a requirement, specifier or marker packaging refuses (its `Invalid*` errors
    are ValueErrors), is one `InputError`: uv refuses such a project too."""
    try:
        return _compare(root, lock_path)
    except (ValueError, TypeError) as error:
        reason = " ".join(str(error).split()) or type(error).__name__
        raise InputError(
            os.path.join(root, "pyproject.toml") if root not in ("", os.curdir) else "pyproject.toml",
            f"or {os.path.basename(lock_path)} has a value uv cannot read ({reason}): fix it, then run `uv lock`",
        ) from None


def _compare(root: str, lock_path: str) -> Comparison:
    result = Comparison()
    lock = read_lock(lock_path)
    members = workspace(root)
    root_path = os.path.normpath(os.path.join(root, "pyproject.toml"))
    root_text = reading.read_text(root_path)
    uv = _uv_table(reading.read_toml(root_path), root_path)
    uv_toml = os.path.join(root, "uv.toml")
    # uv.toml beside the workspace root takes precedence over [tool.uv].
    settings = {**uv, **(reading.read_toml(uv_toml) if reading.is_file(uv_toml) else {})}
    options = _table(lock.get("options"), lock_path, "options")
    lock_text = reading.read_text(lock_path)

    def unset(lock_key: str) -> Difference:
        return Difference(
            lock_path,
            reading.line_of(lock_text, rf"^{re.escape(lock_key)}\s*="),
            f"the lock was resolved with {lock_key} = {options[lock_key]!r}, which neither pyproject.toml nor uv.toml sets (only a UV_* variable or the command line could)",
        )

    def at(key: str) -> int:
        return reading.line_of(root_text, rf"^\s*{re.escape(key)}\s*=")

    for setting, lock_key, omitted in SETTINGS:
        declared, locked = settings.get(setting), options.get(lock_key)
        if declared is not None and omitted.get(str(declared), str(declared)) != locked:
            result.differences.append(Difference(root_path, at(setting), f"[tool.uv] {setting} is {declared!r}, the lock was resolved with {locked if locked is not None else 'the default'!r}"))
        elif declared is None and locked is not None:
            result.differences.append(unset(lock_key))
    if settings.get("exclude-newer") is not None:
        why = _exclude_newer(settings["exclude-newer"], options)
        if why:
            result.differences.append(Difference(root_path, at("exclude-newer"), why))
    elif options.get("exclude-newer-span") is not None or options.get("exclude-newer") is not None:
        result.differences.append(unset("exclude-newer-span" if "exclude-newer-span" in options else "exclude-newer"))
    requires = [str(m.pyproject.get("project", {}).get("requires-python")) for m in members if m.pyproject.get("project", {}).get("requires-python")]
    declared_python = ",".join(requires)
    locked_python = str(lock.get("requires-python", ""))
    python = markers.requires_python(locked_python)
    if markers.requires_python(declared_python) != python:
        result.differences.append(Difference(root_path, at("requires-python"), f"requires-python is {declared_python or 'unset'!r}, the lock has {locked_python or 'none'!r}"))
    manifest = _table(lock.get("manifest"), lock_path, "manifest")
    if len(members) > 1 and set(map(canonical, manifest.get("members", []))) != {m.name for m in members}:
        result.differences.append(
            Difference(root_path, at("members"), f"the workspace members are {', '.join(sorted(m.name for m in members))}, the lock has {', '.join(sorted(manifest.get('members', []))) or 'none'}")
        )
    packages = {canonical(str(p.get("name"))): p for p in lock.get("package", []) if isinstance(p, dict)}
    member_dirs = {m.name: m.directory for m in members}
    indexes = {str(i.get("name")): str(i.get("url")) for i in uv.get("index", []) if isinstance(i, dict)}
    root_sources = {name: (source, ".") for name, source in _table(uv.get("sources"), root_path, "tool.uv.sources").items()}
    root_context = Context(root_sources, indexes, member_dirs)
    for setting, lock_key in MANIFEST_LISTS:
        ours = [r for text in uv.get(setting, []) for r in from_pep508(text, None, root_context)]
        theirs = [from_lock(entry, lock_path) for entry in manifest.get(lock_key, [])]
        result.differences.extend(_differences(ours, theirs, python, f"[tool.uv] {setting} has", root_path, rf"^\s*{setting}\s*="))
    if not any(m.directory == "." for m in members):
        # A workspace root without [project]: uv keeps its dependency groups in the manifest,
        # leaving out the empty ones.
        locked_groups = _table(manifest.get("dependency-groups"), lock_path, "manifest.dependency-groups")
        groups = {name: entries for name, entries in dependency_groups(reading.read_toml(root_path)).items() if entries}
        _compare_groups(groups, locked_groups, "the workspace root", root_context, python, root_path, lock_path, result)
    for member in members:
        member_uv = _uv_table(member.pyproject, member.path)
        own = {name: (source, member.directory) for name, source in _table(member_uv.get("sources"), member.path, "tool.uv.sources").items()}
        sources = own if member.nested else {**root_sources, **own}
        context = Context(sources, indexes, member_dirs)
        _compare_member(member, packages.get(member.name), context, python, lock_path, result, extras_recorded=isinstance(lock.get("revision"), int) and lock["revision"] >= 1)
    return result


def _compare_member(member: Member, package: Any, context: Context, python: int, lock_path: str, result: Comparison, extras_recorded: bool) -> None:
    project = _table(member.pyproject.get("project"), member.path, "project")
    label = f"`{member.name}`" if member.directory == "." else f"`{member.name}` ({member.directory})"
    text = reading.read_text(member.path)
    if package is None:
        result.differences.append(Difference(member.path, reading.line_of(text, r"^\s*name\s*="), f"{label} is not in the lock"))
        return
    member_uv = _uv_table(member.pyproject, member.path)
    packaged = member_uv.get("package")
    wanted = "editable" if (packaged if isinstance(packaged, bool) else "build-system" in member.pyproject) else "virtual"
    source = package.get("source") if isinstance(package.get("source"), dict) else {}
    locked_kind = next((kind for kind in ("editable", "virtual") if kind in source), None)
    if locked_kind is not None and locked_kind != wanted:
        line = reading.line_of(text, r"^\s*package\s*=" if isinstance(packaged, bool) else r"^\[build-system\]")
        result.differences.append(
            Difference(member.path, line, f"{label} is {'a package' if wanted == 'editable' else 'virtual (not built)'}, the lock has it {'virtual' if locked_kind == 'virtual' else 'as a package'}")
        )
    dynamic = set(project.get("dynamic", []))
    if "dependencies" in dynamic or "optional-dependencies" in dynamic:
        result.unknowns.append(Difference(member.path, reading.line_of(text, r"^\s*dynamic\s*="), f"{label} declares its dependencies dynamically, which only a build can tell"))
    if "version" in dynamic:
        if package.get("version") is not None:
            # uv leaves a dynamic version out of the lock; one recorded there needs a build to check.
            result.unknowns.append(
                Difference(member.path, reading.line_of(text, r"^\s*dynamic\s*="), f"{label} declares its version dynamically and the lock records {package['version']}, which only a build can check")
            )
    elif "version" in project and package.get("version") is not None:
        equal = _same_version(str(project["version"]), str(package["version"]))
        if not equal:
            result.differences.append(Difference(member.path, reading.line_of(text, r"^\s*version\s*="), f"{label} has version {project['version']}, the lock has {package['version']}"))
    # uv writes no [package.metadata] for a member that declares nothing.
    metadata = _table(package.get("metadata"), lock_path, "package.metadata")
    if "dependencies" not in dynamic and "optional-dependencies" not in dynamic:
        ours = [r for text_ in project.get("dependencies", []) for r in from_pep508(text_, None, context)]
        optional = _table(project.get("optional-dependencies"), member.path, "project.optional-dependencies")
        for extra, texts in optional.items():
            ours += [r for text_ in texts for r in from_pep508(text_, canonical(extra), context)]
        theirs = [from_lock(entry, lock_path) for entry in metadata.get("requires-dist", [])]
        result.differences.extend(_differences(ours, theirs, python, f"{label} requires", member.path, r"^\s*dependencies\s*="))
        extras = {canonical(e) for e in optional}
        locked_extras = {canonical(e) for e in metadata.get("provides-extras", [])}
        # Locks before revision 1 do not record provides-extras.
        if ("provides-extras" in metadata or extras_recorded) and extras != locked_extras:
            result.differences.append(
                Difference(
                    member.path,
                    reading.line_of(text, r"^\[project\.optional-dependencies\]|^\s*optional-dependencies\s*="),
                    f"{label} provides extras {sorted(extras)}, the lock has {sorted(locked_extras)}",
                )
            )
    groups = dependency_groups(member.pyproject)
    if isinstance(member_uv.get("dev-dependencies"), list) and member_uv["dev-dependencies"]:
        groups.setdefault("dev", []).extend(member_uv["dev-dependencies"])
    _compare_groups(groups, _table(metadata.get("requires-dev"), lock_path, "requires-dev"), label, context, python, member.path, lock_path, result)


def _same_version(ours: str, theirs: str) -> bool:
    """Whether two versions are equal as PEP 440 compares them (as text when one is invalid)."""
    plain = plain_pep508.release(ours), plain_pep508.release(theirs)
    if None not in plain:
        return _plain_version_key(ours) == _plain_version_key(theirs)
    from packaging.version import InvalidVersion, Version

    try:
        return Version(ours) == Version(theirs)
    except InvalidVersion:
        return ours == theirs


def _compare_groups(groups: dict[str, list[str]], locked_groups: dict[str, Any], label: str, context: Context, python: int, path: str, lock_path: str, result: Comparison) -> None:
    text = reading.read_text(path)
    locked = {canonical(g): entries for g, entries in locked_groups.items()}
    if set(groups) != set(locked):
        added, removed = sorted(set(groups) - set(locked)), sorted(set(locked) - set(groups))
        line = reading.line_of(text, rf"^\s*[\"']?{re.escape(added[0])}[\"']?\s*=" if added else r"^\[dependency-groups\]")
        change = "; ".join(filter(None, (f"adds {', '.join(added)}" if added else "", f"drops {', '.join(removed)}" if removed else "")))
        result.differences.append(Difference(path, line, f"{label}'s dependency groups changed since the lock: pyproject.toml {change}"))
    for group in sorted(set(groups) & set(locked)):
        ours = [r for t in groups[group] for r in from_pep508(t, None, context)]
        theirs = [from_lock(e, lock_path) for e in locked[group]]
        result.differences.extend(_differences(ours, theirs, python, f"{label}'s group {group} has", path, rf"^\s*[\"']?{re.escape(group)}[\"']?\s*="))


def dependency_groups(pyproject: dict[str, Any]) -> dict[str, list[str]]:
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
