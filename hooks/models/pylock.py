"""pylock.toml (PEP 751): the file as `packaging.pylock` validates it, its packages with their
lines, what it was made from, and how it differs from that.

A pylock file says who wrote it (`created-by`) and, when uv wrote it, the command in a header
comment. That ties it to what it was made from:
- `uv export --format pylock.toml`: the workspace's `uv.lock`, read with the recorded options;
- pipenv (`[pipenv] use_pylock = true`): the `Pipfile.lock` named in `[tool.pipenv]`;
- `uv pip compile … -o pylock.toml`: the input files the command names (`requirements.in`,
  `pyproject.toml` with its `--extra` / `--group` selections);
- `pip lock .`: the project's `[project]` dependencies (the lock holds the project itself as a
  `directory = { path = "." }` package).
The comparisons return plain differences with lines; the rule decides what they mean.
"""

from __future__ import annotations

import os
import re
from collections import namedtuple

from hooks import reading
from hooks.findings import InputError
from hooks.models import plain_pylock
from hooks.models.names import canonical
from hooks.units import join, nearest_above

# Imported for type checkers only: `typing` costs a hook several milliseconds of start-up.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


class Package(namedtuple("Package", ("name", "version", "marker", "source", "hashes", "line"))):
    """One `[[packages]]` entry: `name` canonical; `version` or None; `marker` text or None;
    `source` a comparable tuple (`("index", url)`, `("directory", path, editable)`, …);
    `hashes` the set of sha256 digests of its sdist, wheels and archive; `line` of its header."""

    __slots__ = ()

    def describe(self) -> str:
        return f"{self.name} {self.version}" if self.version else self.name


class Pylock(namedtuple("Pylock", ("path", "text", "data", "created_by", "command", "packages"))):
    """`command`: the words of the uv command in the header comment, or ()."""

    __slots__ = ()

    @property
    def requires_python(self) -> str:
        value = self.data.get("requires-python")
        return value if isinstance(value, str) else ""


class Difference(namedtuple("Difference", ("line", "text", "stale"), defaults=(True,))):
    """What differs at `line` of the pylock file; `stale` False for what is only not judged."""

    __slots__ = ()


Origin = namedtuple("Origin", ("kind", "source", "command", "words"))
"""What a pylock file was made from: `kind` is `uv-export` (source: the uv.lock), `pipenv`
(the Pipfile.lock), `uv-pip-compile` (the words name the inputs) or `pip-lock` (the
pyproject.toml); `command` re-creates the file."""


# -- reading and validating ------------------------------------------------------------------

_PACKAGES_HEADER = re.compile(r"^\[\[packages\]\][ \t]*$", re.MULTILINE)
_CONTEXT_PART = re.compile(r"([A-Za-z0-9_-]+)(?:\[(\d+)\])?")


def valid_name(path: str) -> bool:
    """PEP 751: `pylock.toml`, or `pylock.<name>.toml` with no dot in the name."""
    return bool(re.fullmatch(r"pylock\.toml|pylock\.[^.]+\.toml", os.path.basename(path)))


def line_of_context(text: str, context: str) -> int:
    """The line of the key `packaging.pylock` names in an error (`packages[2].wheels[0].hashes`):
    the deepest part of that path found in the text, or 1."""
    starts = [match.start() for match in _PACKAGES_HEADER.finditer(text)]
    first_table = re.search(r"^\[", text, re.MULTILINE)
    start, end = 0, first_table.start() if first_table else len(text)
    line = 1
    for part in _CONTEXT_PART.finditer(context):
        key, index = part[1], part[2]
        if key == "packages" and start == 0 and index is not None and int(index) < len(starts):
            i = int(index)
            start, end = starts[i], starts[i + 1] if i + 1 < len(starts) else len(text)
        else:
            # `key = …`, or a table header ending in the key (`[packages.directory]`).
            pattern = rf"^[ \t]*(?:\"?{re.escape(key)}\"?[ \t]*=|\[+[^\]\n]*\b{re.escape(key)}\]+)"
            match = re.compile(pattern, re.MULTILINE).search(text, start, end)
            if match is None:
                break
            start = match.start()
        line = text.count("\n", 0, start) + 1
    return line


def validate(path: str, text: str, data: dict[str, Any]) -> str | None:
    """Raise `InputError` when `packaging.pylock` rejects the file, at the line of the key it
    names; return a note instead when this `packaging` has no `packaging.pylock` (before 26).
    A plain file is judged without importing packaging (`plain_pylock`): it costs start-up."""
    if plain_pylock.accepts(data):
        return None
    try:
        from packaging import pylock as spec
    except ImportError:
        import packaging

        return f"packaging {packaging.__version__} has no `packaging.pylock` (26 or later has), so the file was not validated against PEP 751"
    warnings = _Warnings(spec.__name__)
    try:
        with warnings:
            spec.Pylock.from_dict(data)
    except spec.PylockValidationError as error:
        context = getattr(error, "context", None) or ""
        raise InputError(path, f"is not a valid pylock file (PEP 751): {error}", line_of_context(text, context)) from None
    if warnings.messages:
        # PEP 751: a newer minor lock-version is read, with a warning; what it adds is unknown.
        return f"packaging.pylock read it with a warning ({'; '.join(warnings.messages)}): what that version adds was not validated"
    return None


class _Warnings:
    """The warnings a library logs while in the block, kept for the findings instead of printed
    on stderr by logging's last-resort handler."""

    def __init__(self, logger_name: str) -> None:
        import logging

        self.logger = logging.getLogger(logger_name)
        self.messages: list[str] = []
        self.handler = logging.Handler()
        self.handler.emit = lambda record: self.messages.append(" ".join(record.getMessage().split()))  # type: ignore[method-assign]

    def __enter__(self) -> None:
        self.propagate, self.logger.propagate = self.logger.propagate, False
        self.logger.addHandler(self.handler)

    def __exit__(self, *_: object) -> None:
        self.logger.removeHandler(self.handler)
        self.logger.propagate = self.propagate


def _hashes(entry: Any) -> set[str]:
    found: set[str] = set()
    if isinstance(entry, dict):
        hashes = entry.get("hashes")
        if isinstance(hashes, dict) and isinstance(hashes.get("sha256"), str):
            found.add(hashes["sha256"].lower())
    return found


def _pylock_source(package: dict[str, Any]) -> tuple[Any, ...] | None:
    if isinstance(package.get("directory"), dict):
        directory = package["directory"]
        return ("directory", os.path.normpath(str(directory.get("path", "."))).replace(os.sep, "/"), bool(directory.get("editable", False)))
    if isinstance(package.get("vcs"), dict):
        vcs = package["vcs"]
        return ("git", _plain_url(str(vcs.get("url") or vcs.get("path"))), str(vcs.get("commit-id")))
    if isinstance(package.get("archive"), dict):
        archive = package["archive"]
        return ("url", _plain_url(str(archive.get("url") or archive.get("path"))))
    if isinstance(package.get("index"), str):
        return ("index", package["index"].rstrip("/"))
    return None


def _plain_url(url: str) -> str:
    """A URL without credentials, fragment or query (git references are compared apart)."""
    return re.sub(r"//[^/@]+@", "//", url).split("#", 1)[0].split("?", 1)[0]


def _header_command(text: str) -> tuple[str, ...]:
    """The uv command of the header comment (`#    uv export --format pylock.toml …`)."""
    for line in text.split("\n", 8)[:8]:
        match = re.match(r"^#\s+(uv\s.*)$", line)
        if match is None:
            continue
        if not any(character in match[1] for character in "'\"\\"):
            # What shlex.split reads in words without quotes or escapes, without its import.
            return tuple(word for word in re.split(r"[ \t\r\n]+", match[1]) if word)
        import shlex

        try:
            return tuple(shlex.split(match[1]))
        except ValueError:
            return tuple(match[1].split())
    return ()


def read(path: str) -> tuple[Pylock, str | None]:
    """The pylock file at `path`, and a note when it could not be validated; `InputError` when
    it cannot be read or is not valid TOML or PEP 751."""
    text = reading.read_text(path)
    data = reading.read_toml(path)
    note = validate(path, text, data)
    starts = [text.count("\n", 0, match.start()) + 1 for match in _PACKAGES_HEADER.finditer(text)]
    packages = []
    for index, entry in enumerate(data.get("packages", [])):
        if not isinstance(entry, dict):
            continue
        hashes = _hashes(entry.get("sdist")) | _hashes(entry.get("archive"))
        for wheel in entry.get("wheels", []) or []:
            hashes |= _hashes(wheel)
        version = entry.get("version")
        line = starts[index] if index < len(starts) else 1
        packages.append(Package(canonical(str(entry.get("name", ""))), str(version) if version is not None else None, entry.get("marker"), _pylock_source(entry), frozenset(hashes), line))
    created_by = data.get("created-by")
    return Pylock(path, text, data, str(created_by) if created_by is not None else "an unknown tool", _header_command(text), packages), note


# -- what it was made from -----------------------------------------------------------------------


def origin(lock: Pylock) -> Origin | None:
    directory = os.path.dirname(lock.path) or os.curdir
    name = os.path.relpath(lock.path, directory)
    words = lock.command
    if words[:2] == ("uv", "export"):
        root = nearest_above(directory, "uv.lock")
        if root is None:
            return None
        return Origin("uv-export", join(root, "uv.lock"), " ".join(words), words)
    if words[:3] == ("uv", "pip", "compile"):
        return Origin("uv-pip-compile", None, " ".join(words), words)
    tool = lock.data.get("tool")
    pipenv = tool.get("pipenv") if isinstance(tool, dict) else None
    if lock.created_by == "pipenv" or isinstance(pipenv, dict):
        generated_from = pipenv.get("generated_from") if isinstance(pipenv, dict) else None
        source = join(directory, str(generated_from or "Pipfile.lock"))
        return Origin("pipenv", source, "pipenv lock", ())
    if lock.created_by == "pip" and any(p.source == ("directory", ".", False) or p.source == ("directory", ".", True) for p in lock.packages):
        return Origin("pip-lock", join(directory, "pyproject.toml"), f"pip lock . -o {name}", ())
    return None


# -- markers -------------------------------------------------------------------------------------


class Where(namedtuple("Where", ("node",))):
    """A set of environments, as a marker's decision diagram (`uv_markers`): joined with `|`,
    intersected with `&`, compared with `<=` and `==`, empty when false."""

    __slots__ = ()

    def __or__(self, other: Where) -> Where:
        from hooks.models import uv_markers

        return Where(uv_markers.disjoin(self.node, other.node))

    def __and__(self, other: Where) -> Where:
        from hooks.models import uv_markers

        return Where(uv_markers.conjoin(self.node, other.node))

    def __le__(self, other: Where) -> bool:  # type: ignore[override]
        from hooks.models import uv_markers

        return uv_markers.conjoin(self.node, uv_markers.negate(other.node)) == uv_markers.FALSE

    def __bool__(self) -> bool:
        from hooks.models import uv_markers

        return self.node != uv_markers.FALSE


NOWHERE = Where(0)


class Markers:
    """Marker meanings within `requires_python`, normalised as uv normalises them: `meaning(None)`
    is every environment the lock is for."""

    def __init__(self, requires_python: str) -> None:
        from hooks.models import uv_markers

        self._markers = uv_markers
        self._python = uv_markers.requires_python(requires_python)

    def meaning(self, text: str | None) -> Where:
        return Where(self._markers.conjoin(self._markers.meaning(text or None), self._python))

    @property
    def everywhere(self) -> Where:
        return self.meaning(None)


# -- (a) exported from uv.lock -------------------------------------------------------------------


def _lock_source(source: Any, root: str) -> tuple[Any, ...] | None:
    if not isinstance(source, dict):
        return None
    if "registry" in source:
        registry = str(source["registry"]).rstrip("/")
        if "://" not in registry:
            # A find-links or index directory, relative to the workspace: the export writes it
            # as an absolute file URL.
            registry = "file://" + os.path.abspath(join(root, registry)).replace(os.sep, "/")
        return ("index", registry)
    for kind, editable in (("editable", True), ("directory", False), ("virtual", False)):
        if kind in source:
            return ("directory", os.path.normpath(str(source[kind])).replace(os.sep, "/"), editable)
    if "git" in source:
        url = str(source["git"])
        return ("git", _plain_url(url), url.split("#", 1)[1] if "#" in url else "")
    if "url" in source:
        return ("url", _plain_url(str(source["url"])))
    if "path" in source:
        return ("url", str(source["path"]))
    return None


def _lock_hashes(package: dict[str, Any]) -> frozenset[str]:
    found = set()
    for entry in [package.get("sdist"), *(package.get("wheels") or [])]:
        if isinstance(entry, dict) and isinstance(entry.get("hash"), str) and entry["hash"].startswith("sha256:"):
            found.add(entry["hash"][len("sha256:") :].lower())
    return frozenset(found)


class _Options(namedtuple("_Options", ("groups", "all_groups", "extras", "all_extras", "only_dev", "no_emit", "no_emit_project", "no_emit_workspace", "all_packages", "judged"))):
    __slots__ = ()


def _export_options(words: tuple[str, ...], default_groups: Any) -> _Options:
    def values(option: str) -> list[str]:
        return [words[i + 1] for i, w in enumerate(words[:-1]) if w == option] + [w.split("=", 1)[1] for w in words if w.startswith(option + "=")]

    # Selections this check does not model: the package set is then not compared.
    judged = not any(word == option or word.startswith(option + "=") for word in words for option in ("--package", "--only-group", "--prune"))
    groups: set[str] = set()
    all_groups = "--all-groups" in words
    if "--no-default-groups" not in words and "--no-dev" not in words:
        if default_groups == "all":
            all_groups = True
        else:
            groups |= {canonical(str(g)) for g in (default_groups if isinstance(default_groups, list) else ["dev"])}
    groups |= {canonical(g) for g in values("--group")} | ({"dev"} if "--only-dev" in words else set())
    return _Options(
        groups, all_groups, {canonical(e) for e in values("--extra")}, "--all-extras" in words, "--only-dev" in words,
        {canonical(n) for n in values("--no-emit-package")}, "--no-emit-project" in words, "--no-emit-workspace" in words,
        "--all-packages" in words, judged,
    )  # fmt: skip


def compare_uv_export(lock: Pylock, lock_path: str) -> list[Difference]:
    """Where `lock` differs from what `uv export` with its recorded options writes from the
    uv.lock at `lock_path`: requires-python, packages, versions, markers, hashes and sources."""
    from hooks.models import uv_markers

    root = os.path.dirname(lock_path) or os.curdir
    data = reading.read_toml(lock_path)
    pyproject = reading.read_toml(join(root, "pyproject.toml")) if reading.is_file(join(root, "pyproject.toml")) else {}
    uv_settings = pyproject.get("tool", {}).get("uv", {}) if isinstance(pyproject.get("tool"), dict) else {}
    options = _export_options(lock.command, uv_settings.get("default-groups") if isinstance(uv_settings, dict) else None)
    packages = [p for p in data.get("package", []) if isinstance(p, dict) and isinstance(p.get("name"), str)]
    by_name: dict[str, list[dict[str, Any]]] = {}
    for package in packages:
        by_name.setdefault(canonical(package["name"]), []).append(package)
    manifest = data.get("manifest", {}) if isinstance(data.get("manifest"), dict) else {}
    members = {canonical(str(m)) for m in manifest.get("members", [])}
    root_names = [canonical(p["name"]) for p in packages if _lock_source(p.get("source"), root) in (("directory", ".", True), ("directory", ".", False))]
    members |= set(root_names)
    starts = members if options.all_packages or not root_names else set(root_names)

    def key(package: dict[str, Any]) -> tuple[str, str]:
        return canonical(package["name"]), str(package.get("version", ""))

    def target(entry: Any) -> dict[str, Any] | None:
        if not isinstance(entry, dict) or "name" not in entry:
            return None
        candidates = by_name.get(canonical(str(entry["name"])), [])
        if "version" in entry:
            candidates = [p for p in candidates if str(p.get("version")) == str(entry["version"])]
        return candidates[0] if len(candidates) == 1 else None

    markers = Markers(str(data.get("requires-python", "")))
    everywhere = markers.everywhere
    reach: dict[tuple[str, str], Where] = {}
    by_key = {key(p): p for p in packages}
    queue: list[tuple[dict[str, Any], str | None, Where]] = []
    for name in sorted(starts):
        for package in by_name.get(name, []):
            if not options.only_dev:
                queue.append((package, None, everywhere))
                for extra in package.get("optional-dependencies", {}) or {}:
                    if options.all_extras or canonical(extra) in options.extras:
                        queue.append((package, extra, everywhere))
            for group, entries in (package.get("dev-dependencies", {}) or {}).items():
                if options.all_groups or canonical(group) in options.groups:
                    for entry in entries:
                        found = target(entry)
                        if found is not None:
                            where = markers.meaning(entry.get("marker"))
                            queue.extend((found, extra, where) for extra in [None, *entry.get("extra", [])])
    extras_reach: dict[tuple[tuple[str, str], str | None], Where] = {}
    while queue:
        package, extra, where = queue.pop()
        node = (key(package), extra)
        before = extras_reach.get(node, NOWHERE)
        grown = before | where
        if grown == before:
            continue
        extras_reach[node] = grown
        reach[key(package)] = reach.get(key(package), NOWHERE) | grown
        edges = package.get("dependencies", []) if extra is None else (package.get("optional-dependencies", {}) or {}).get(extra, [])
        if extra is not None:
            queue.append((package, None, grown))
        for entry in edges:
            found = target(entry)
            if found is None:
                continue
            narrowed = grown & markers.meaning(entry.get("marker"))
            if narrowed:
                queue.append((found, None, narrowed))
                for wanted in entry.get("extra", []):
                    queue.append((found, wanted, narrowed))

    def emitted(package: dict[str, Any]) -> bool:
        name = canonical(package["name"])
        source = _lock_source(package.get("source"), root)
        if source is not None and source[0] == "directory" and "virtual" in package.get("source", {}):
            return False
        if name in options.no_emit or (options.no_emit_project and name in root_names) or (options.no_emit_workspace and name in members):
            return False
        return True

    expected = {k: where for k, where in reach.items() if emitted(by_key[k])}
    differences: list[Difference] = []
    locked_python = str(data.get("requires-python", ""))
    if uv_markers.requires_python(locked_python) != uv_markers.requires_python(lock.requires_python):
        differences.append(Difference(_line_of_key(lock.text, "requires-python"), f"requires Python {lock.requires_python or 'of any version'}, uv.lock {locked_python or 'of any version'}"))
    listed: set[tuple[str, str]] = set()
    for package in lock.packages:
        found = _match(package, by_name)
        if found is None:
            versions = ", ".join(str(p.get("version", "")) for p in by_name.get(package.name, []))
            text = f"has {package.describe()}, but uv.lock has {package.name} {versions}" if versions else f"has {package.describe()}, which uv.lock does not lock"
            differences.append(Difference(package.line, text))
            listed.update(key(p) for p in by_name.get(package.name, []))  # said once, here
            continue
        listed.add(key(found))
        if options.judged and key(found) not in expected:
            differences.append(Difference(package.line, f"has {package.describe()}, which uv.lock does not install with the recorded options"))
            continue
        source = _lock_source(found.get("source"), root)
        if source != package.source:
            differences.append(Difference(package.line, f"has {package.describe()} from {_show(package.source)}, uv.lock from {_show(source)}"))
        locked_hashes = _lock_hashes(found)
        # uv.lock records no hash for a local wheel or archive: uv hashes the file as it
        # exports, which this check does not do. (`--no-hashes` does not apply to pylock.toml:
        # uv 0.13.9 writes the hashes all the same.)
        if locked_hashes and package.hashes != locked_hashes:
            differences.append(
                Difference(package.line, f"has {len(package.hashes)} file hashes for {package.describe()}, uv.lock {len(locked_hashes)}, {len(package.hashes ^ locked_hashes)} of them differ")
            )
        if options.judged and markers.meaning(package.marker) != expected[key(found)]:
            marker = f"`{package.marker}`" if package.marker else "no marker"
            differences.append(Difference(package.line, f"gives {package.describe()} {marker}, which is not where uv.lock installs it"))
    if options.judged:
        for missing in sorted(set(expected) - listed):
            name, version = missing
            differences.append(Difference(1, f"misses {f'{name} {version}'.rstrip()}, which uv.lock installs with the recorded options"))
    return differences


def _line_of_key(text: str, key: str) -> int:
    return reading.line_of(text, rf"^{re.escape(key)}[ \t]*=")


def _edge_lists(package: dict[str, Any]) -> list[list[Any]]:
    lists = [package.get("dependencies", []) or []]
    lists += list((package.get("optional-dependencies", {}) or {}).values())
    lists += list((package.get("dev-dependencies", {}) or {}).values())
    return lists


def _match(package: Package, by_name: dict[str, list[dict[str, Any]]]) -> dict[str, Any] | None:
    for candidate in by_name.get(package.name, []):
        if package.version is None or str(candidate.get("version")) == package.version:
            return candidate
    return None


def _show(source: tuple[Any, ...] | None) -> str:
    if source is None:
        return "no source"
    if source[0] == "directory":
        return f"{'editable ' if source[2] else ''}directory {source[1]}"
    return " ".join(str(part) for part in source if part)


# -- (b) written by pipenv beside Pipfile.lock ------------------------------------------------


def compare_pipfile_lock(lock: Pylock, pipfile_lock: str) -> list[Difference]:
    """Where `lock` and the Pipfile.lock pipenv wrote it with disagree: packages, versions and
    file hashes, over every category."""
    data = reading.read_json(pipfile_lock)
    locked: dict[str, tuple[str, frozenset[str]]] = {}
    for section, entries in data.items() if isinstance(data, dict) else ():
        if section == "_meta" or not isinstance(entries, dict):
            continue
        for name, entry in entries.items():
            if not isinstance(entry, dict):
                continue
            version = str(entry.get("version", "")).removeprefix("==")
            hashes = frozenset(str(h).split(":", 1)[1].lower() for h in entry.get("hashes", []) if str(h).startswith("sha256:"))
            locked.setdefault(canonical(name), (version, hashes))
    differences = []
    seen = set()
    for package in lock.packages:
        seen.add(package.name)
        if package.name not in locked:
            differences.append(Difference(package.line, f"has {package.describe()}, which Pipfile.lock does not lock"))
            continue
        version, hashes = locked[package.name]
        if version and package.version != version:
            differences.append(Difference(package.line, f"has {package.describe()}, but Pipfile.lock has {package.name} {version}"))
        elif hashes and package.hashes and not package.hashes <= hashes:
            differences.append(Difference(package.line, f"has file hashes for {package.describe()} that Pipfile.lock does not have"))
    for name in sorted(set(locked) - seen):
        differences.append(Difference(1, f"misses {f'{name} {locked[name][0]}'.rstrip()}, which Pipfile.lock locks"))
    return differences


# -- (c) locking direct requirements ------------------------------------------------------------


SATISFIES = "the lock must satisfy each direct requirement, it need not be what a resolver would pick now"


class Direct(namedtuple("Direct", ("name", "specifier", "marker", "where", "text"))):
    """A direct requirement: `where` names its place (`requirements.in:3`, `pyproject.toml
    [dependency-groups] dev`)."""

    __slots__ = ()


def _groups(data: dict[str, Any]) -> dict[str, list[str]]:
    from hooks.models import uv

    return uv.dependency_groups(data)


def direct_requirements(origin_: Origin, directory: str) -> list[Direct]:
    """The direct requirements the lock must satisfy, from the inputs the origin names."""
    from packaging.requirements import Requirement

    from hooks.models import requirements as requirements_model

    found: list[Direct] = []

    def add(text: str, where: str) -> None:
        requirement = Requirement(text)
        found.append(Direct(canonical(requirement.name), str(requirement.specifier), str(requirement.marker) if requirement.marker else None, where, text))

    def from_pyproject(path: str, extras: set[str], all_extras: bool, groups: set[str]) -> None:
        data = reading.read_toml(path)
        project = data.get("project", {}) if isinstance(data.get("project"), dict) else {}
        for text in project.get("dependencies", []) or []:
            add(text, f"{path} [project]")
        for extra, texts in (project.get("optional-dependencies", {}) or {}).items():
            if all_extras or canonical(extra) in extras:
                for text in texts:
                    add(text, f"{path} extra {extra}")
        for group, texts in _groups(data).items():
            if group in groups:
                for text in texts:
                    add(text, f"{path} group {group}")

    if origin_.kind == "pip-lock":
        from_pyproject(origin_.source, set(), False, set())
        return found
    words = origin_.words[3:]
    takes_value = {
        "-o",
        "--output-file",
        "-c",
        "--constraint",
        "--constraints",
        "--override",
        "--overrides",
        "--extra",
        "--group",
        "--python",
        "-p",
        "--python-version",
        "--index-url",
        "-i",
        "--extra-index-url",
        "--find-links",
        "-f",
        "--python-platform",
        "--format",
        "--exclude-newer",
        "--build-constraint",
        "-b",
        "-r",
        "--requirements",
    }
    inputs: list[str] = []
    extras: set[str] = set()
    groups: dict[str, set[str]] = {}
    index = 0
    while index < len(words):
        word = words[index]
        value = words[index + 1] if index + 1 < len(words) else ""
        if word in ("-r", "--requirements"):
            inputs.append(value)
        elif word == "--extra":
            extras.add(canonical(value))
        elif word == "--group":
            path, _, group = value.rpartition(":")
            groups.setdefault(path or "pyproject.toml", set()).add(canonical(group))
        elif not word.startswith("-"):
            inputs.append(word)
        index += 2 if word in takes_value else 1
    for name in inputs:
        path = os.path.normpath(join(directory, name))
        if name.endswith(".toml"):
            from_pyproject(path, extras, "--all-extras" in words, groups.get(name, set()))
        elif name.endswith((".in", ".txt")):
            for requirement in requirements_model.parse(path).requirements:
                if requirement.name:
                    add(requirement.text, f"{path}:{requirement.line}")
    for name, wanted in groups.items():
        if name not in inputs:
            from_pyproject(os.path.normpath(join(directory, name)), set(), False, wanted)
    return found


def compare_inputs(lock: Pylock, directs: list[Direct], requires_python: str) -> list[Difference]:
    """Where the lock does not satisfy a direct requirement: the package is missing, its version
    is outside the specifier, or its marker leaves out environments the requirement applies to.
    This is "satisfies", not "re-resolves to": a resolver may well pick other versions."""
    from packaging.specifiers import InvalidSpecifier, SpecifierSet

    markers = Markers(requires_python)
    differences = []
    for direct in directs:
        applies = markers.meaning(direct.marker)
        if not applies:
            continue
        candidates = [p for p in lock.packages if p.name == direct.name]
        if not candidates:
            differences.append(Difference(1, f"does not lock {direct.name}, which {direct.where} asks for (`{direct.text}`)"))
            continue
        try:
            allowed = SpecifierSet(direct.specifier)
        except InvalidSpecifier:
            allowed = SpecifierSet()
        for package in candidates:
            if package.version is not None and not allowed.contains(package.version, prereleases=True):
                differences.append(Difference(package.line, f"locks {package.describe()}, which does not satisfy `{direct.text}` ({direct.where}) — {SATISFIES}"))
        covered = NOWHERE
        for package in candidates:
            covered = covered | markers.meaning(package.marker)
        if not applies <= covered:
            shown = " or ".join(f"`{p.marker}`" for p in candidates if p.marker) or "nowhere"
            differences.append(Difference(candidates[0].line, f"installs {direct.name} only where {shown}, but `{direct.text}` ({direct.where}) applies in more environments"))
    return differences
