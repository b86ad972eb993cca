"""Which pipenv, Poetry and uv releases read and accept which lock, and which release will
consume a project's lock: the one its Platform.sh/Upsun app or its pyproject.toml pins.

Facts about the tools are the tables below, each with its source and the date it was checked;
the models compute with them (pipenv's hash of each era, Poetry's content-hash of each era) and
the rules word their findings from them.
"""

from __future__ import annotations

import re
from collections import namedtuple

# Imported for type checkers only: `typing` costs a hook several milliseconds of start-up.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

# -- pipenv ------------------------------------------------------------------------------------

# The first pipenv release of each way of computing Pipfile.lock's `_meta.hash`, oldest first.
# Source: pipenv's history (vendored `pipfile` library, then `plette`, then
# `Pipfile.calculate_hash()` from pypa/pipenv PR #6609) as written down in
# spec/lock-freshness.md §1.4; checked 2026-10 against pipenv 2022.9.4 and 2026.10.3
# (tests/pipfile_lock_versions_test.py), 2025.0.4 and the `pipfile` library of 2022.1.8.
# A Pipfile.lock does not say which pipenv wrote it: only these hashes tell.
PIPENV_HASH_ERAS = (
    ("2018.5.18", "sections"),  # only sources, [requires], [packages], [dev-packages]; names as written
    ("2022.10.9", "categories-with-pipenv"),  # every other table too, [pipenv] and [pipfile] included
    ("2022.10.10", "categories-with-pipfile"),  # [pipenv] no longer hashed, [pipfile] still is
    ("2022.12.17", "categories"),  # neither: every other top-level table, names as written
    ("2026.4.0", "normalised-names"),  # package names PEP 503 normalised (current)
)

# -- Poetry ------------------------------------------------------------------------------------

# The first Poetry release of each content-hash era (the letters models/poetry.py computes).
# Source: python-poetry/poetry's `Locker._get_content_hash` over its history, in
# spec/lock-freshness.md §2.2; checked 2026-10 against Poetry 1.8.5 and 2.5.1
# (tests/poetry_lock_versions_test.py), 2.0.1 and 1.1.15.
POETRY_HASH_ERAS = (
    ("0.12.0", "A"),  # [tool.poetry] dependencies, dev-dependencies, source, extras
    ("1.2.0", "B"),  # + [tool.poetry.group]
    ("2.0.0", "C"),  # + [project] requires-python, dependencies, optional-dependencies
    ("2.3.0", "D"),  # + [dependency-groups]; a lock written before 2.3 may hash as C
)

# The `[metadata] lock-version` each Poetry writes, by first release. Source: `Locker._VERSION`
# in python-poetry/poetry (1.0 in 1.0.0, 1.1 in 1.1.0, 2.0 in 1.3.0, 2.1 in 2.0.0; spec §2.6);
# checked 2026-10: Poetry 1.8.5 writes 2.0 and 2.5.1 writes 2.1.
POETRY_LOCK_VERSIONS = (
    ("1.0.0", "1.0"),
    ("1.1.0", "1.1"),
    ("1.3.0", "2.0"),
    ("2.0.0", "2.1"),
)
# What each Poetry reads (`Locker._READ_VERSION_RANGE`): from 1.3.0 any lock-version >=1,<3,
# with a warning ("might not be compatible") when it is newer than the one it writes; before
# 1.3.0 only its own major version. Source: python-poetry/poetry src/poetry/packages/locker.py;
# checked 2026-10 with Poetry 1.8.5 and 2.5.1.
POETRY_READS_ANY_FROM = "1.3.0"
POETRY_READS = (1, 3)  # lock-version majors read from POETRY_READS_ANY_FROM on: [1, 3)

# -- uv ----------------------------------------------------------------------------------------

# The uv.lock `revision` each uv writes, by first release (every one writes `version = 1`).
# Source: `uv lock` run with each release on 2026-10: 0.5.0 and 0.5.31 write none (0 here);
# 0.6.0 and 0.6.14 write 1; 0.6.15 (the release that added `upload-time`), 0.7.22 and 0.8.0 to
# 0.8.3 write 2; 0.8.4, 0.9.0, 0.10.0, 0.11.0 and 0.12.0 to 0.12.8 write 3; 0.13.0 and 0.13.9
# write 5 (releases between 0.12.8 and 0.13.0 untested). Every uv from 0.5.0 reads every
# revision and `uv lock --locked` accepts it, but a uv that rewrites the lock writes its own
# revision, dropping what it does not know (astral-sh/uv issue 15220).
# tests/uv_lock_versions_test.py re-checks the releases it installs.
UV_REVISIONS = (
    ("0.5.0", 0),
    ("0.6.0", 1),
    ("0.6.15", 2),
    ("0.8.4", 3),
    ("0.13.0", 5),
)
UV_LOCK_VERSION = 1  # the only `version` uv 0.3 and later read and write

# What an older uv cannot read in a project a newer uv locks. A uv that meets a [tool.uv] key it
# does not know, or a value it cannot parse, warns "Failed to parse `pyproject.toml` during
# settings discovery" and drops every setting of the file: it then resolves anew, and
# `uv lock --check` and `uv sync --locked` reject the lock, when the lock records settings
# (its [options]); a lock without [options] it still accepts. Checked 2026-11 with uv 0.8.0,
# 0.8.3, 0.8.4 and 0.13.9 (tests/uv_lock_versions_test.py runs 0.8.0 and 0.13.9 on the
# corpus ../shared/corpus/locks-2 and on edited projects).
# - A relative `exclude-newer` ("3 days", "P1W"): from uv 0.9.17 (astral-sh/uv PR 16814; the
#   release uv's maintainers name in astral-sh/uv PR 19488).
UV_RELATIVE_EXCLUDE_NEWER_FROM = "0.9.17"
# - The [tool.uv] keys added since uv 0.8.0, by first release: `exclude-newer-package`
#   (astral-sh/uv PR 14489) and `extra-build-dependencies`, both refused by 0.8.3, read by 0.8.4.
UV_SETTINGS_FROM = {"exclude-newer-package": "0.8.4", "extra-build-dependencies": "0.8.4"}


# -- a lock's format, read cheaply ------------------------------------------------------------
# What `lock-tool-version` compares with the lock at HEAD: a few top keys, found by linear
# patterns without parsing the whole lock (a poetry.lock's [metadata] is at its end).

# (pattern, flags): `re` compiles and caches each when lock-tool-version first reads a lock.
_UV_TOP_KEY = (r"^(version|revision)[ \t]*=[ \t]*(\d{1,6})[ \t]*(?:#[^\n]*)?$", re.MULTILINE)
_FIRST_TABLE = (r"^[ \t]*\[", re.MULTILINE)
_POETRY_METADATA = (r"^[ \t]*\[[ \t]*metadata[ \t]*\][ \t]*(?:#[^\n]*)?$", re.MULTILINE)
_POETRY_LOCK_VERSION = (r"""^[ \t]*lock-version[ \t]*=[ \t]*(?:"([0-9.]{1,20})"|'([0-9.]{1,20})')""", re.MULTILINE)
_POETRY_WRITER = (r"@generated by Poetry ([0-9][0-9A-Za-z.]{0,30})", 0)


def uv_format(text: str) -> tuple[int, int]:
    """A uv.lock's (`version`, `revision`), 0 for a key it lacks (as uv reads it), from the keys
    before its first table."""
    first = re.compile(*_FIRST_TABLE).search(text)
    keys = {match[1]: int(match[2]) for match in re.compile(*_UV_TOP_KEY).finditer(text, 0, first.start() if first else len(text))}
    return keys.get("version", 0), keys.get("revision", 0)


def poetry_format(text: str) -> tuple[str | None, str | None]:
    """A poetry.lock's (writer, lock-version): the `X.Y.Z` of its `@generated by Poetry X.Y.Z`
    first line and its `[metadata] lock-version`, None for what it lacks."""
    writer = re.compile(*_POETRY_WRITER).search(text.split("\n", 1)[0])
    lock_version = None
    metadata = re.compile(*_POETRY_METADATA).search(text)
    if metadata:
        table_end = re.compile(*_FIRST_TABLE).search(text, metadata.end())
        found = re.compile(*_POETRY_LOCK_VERSION).search(text, metadata.end(), table_end.start() if table_end else len(text))
        lock_version = found and (found[1] or found[2])
    return (writer[1].rstrip(".") if writer else None), lock_version


# -- versions ----------------------------------------------------------------------------------

# Patterns as text: `re` compiles (and caches) them when first used, not on every start-up.
_PLAIN = r"^\d+(\.\d+)*$"


def _stripped(numbers: list[int]) -> tuple[int, ...]:
    while numbers and numbers[-1] == 0:
        numbers.pop()
    return tuple(numbers)


def key(version: str) -> tuple[Any, ...]:
    """A sort key for a release number (`2022.9.4`, `0.13.9`; `2.0.0b1` before `2.0.0`)."""
    if re.match(_PLAIN, version):
        return (_stripped([int(part) for part in version.split(".")]), 1)
    from packaging.version import InvalidVersion, Version  # rare spellings only: costs start-up

    try:
        parsed = Version(version)
    except InvalidVersion:
        return ((), 0)
    return (_stripped(list(parsed.release)), 0 if parsed.pre or parsed.dev else 2)


def before(version: str, other: str) -> bool:
    return key(version) < key(other)


def era_of(table: tuple[tuple[str, Any], ...], version: str) -> Any:
    """The value of the last row of `table` whose first release is at or before `version` (the
    first row's for an older version)."""
    found = table[0][1]
    for first, value in table:
        if not before(version, first):
            found = value
    return found


def era_span(table: tuple[tuple[str, Any], ...], values: Any) -> list[tuple[str | None, str | None]]:
    """The releases whose era is in `values`, as (first, next era's first) spans, adjacent eras
    merged; None for "since the table begins" and "to this day"."""
    spans: list[tuple[str | None, str | None]] = []
    for index, (first, value) in enumerate(table):
        if value not in values:
            continue
        start = first if index else None
        end = table[index + 1][0] if index + 1 < len(table) else None
        if spans and spans[-1][1] == first:
            spans[-1] = (spans[-1][0], end)
        else:
            spans.append((start, end))
    return spans


def describe(tool: str, spans: list[tuple[str | None, str | None]]) -> str:
    """`pipenv 2026.4.0 and later`, `pipenv older than 2026.4.0`, `Poetry 1.2.0 to 2.0.0 (not
    included)`; `no pipenv release` for none."""
    parts = []
    for first, end in spans:
        if first is None and end is None:
            parts.append(f"every {tool} release")
        elif end is None:
            parts.append(f"{tool} {first} and later")
        elif first is None:
            parts.append(f"{tool} older than {end}")
        else:
            parts.append(f"{tool} {first} up to {end} (not included)")
    return " and ".join(parts) if parts else f"no {tool} release"


# -- which release consumes a lock --------------------------------------------------------------


class Pin(namedtuple("Pin", ("tool", "version", "path", "line", "source"))):
    """The release of `tool` the build runs, and where that is written: `path`:`line`, and
    `source`, who writes it ("app `app` pins", "[tool.uv] required-version names")."""

    __slots__ = ()

    @property
    def where(self) -> str:
        """For example: which app `app` pins at .platform.app.yaml:14."""
        return f"which {self.source} at {self.path}:{self.line}"


_EXACT = r"^\s*(?:===?\s*)?v?(\d+(?:\.\d+)*(?:(?:a|b|rc)\d+)?)\s*$"


def exact(spec: Any) -> str | None:
    """The one release a specifier allows (`==0.13.9`, `0.13.9`), or None."""
    match = re.match(_EXACT, spec) if isinstance(spec, str) else None
    return match[1] if match else None


def app_pin(app: Any, tool: str) -> Pin | None:
    """The release of `tool` (pipenv, poetry, uv) Platform.sh/Upsun app `app` installs in its
    build: `dependencies.python3.<tool>`, `pip install <tool>==X` in a hook, `POETRY_VERSION` or
    the installer's `--version X`, uv's versioned installer URL."""
    from hooks.models.installs import exact_version, installs, poetry_installer, uv_installer

    env = app.env
    source = f"app `{app.name}` pins"
    for key_name, package, value in app.pip_dependencies():
        if package == tool and key_name == app.pip_key:
            version = exact_version(value, env)
            if version:
                return Pin(tool, version, app.config, app.line_of("dependencies", key_name, package), source)
    commands = app.commands()
    for command in commands:
        for package, spec in installs(command):
            version = exact_version(spec, env) if package == tool and spec.startswith("==") else None
            if version:
                return Pin(tool, version, command.source, command.line, source)
        if tool == "poetry" and poetry_installer(command):
            words = list(command.words)
            for option, value in zip(words, words[1:]):
                version = exact_version(value, env) if option == "--version" else None
                if version:
                    return Pin(tool, version, command.source, command.line, source)
            version = exact_version(env.get("POETRY_VERSION"), env)
            if version:
                return Pin(tool, version, app.config, app.line_of("variables", "env", "POETRY_VERSION"), source)
        if tool == "uv":
            fetches, version = uv_installer(command)
            if fetches and version:
                return Pin(tool, version, command.source, command.line, source)
    return None


def pyproject_pin(path: str, tool: str) -> Pin | None:
    """`[tool.uv] required-version` or `[tool.poetry] requires-poetry`, when it allows one
    release only."""
    from hooks import reading
    from hooks.findings import InputError
    from hooks.models import pyproject

    if tool not in ("uv", "poetry") or not reading.is_file(path):
        return None
    try:
        manifest = pyproject.read(path)
    except InputError:
        return None  # the lock's own rule reports an unreadable pyproject
    name = "required-version" if tool == "uv" else "requires-poetry"
    version = exact((manifest.tool(tool) or {}).get(name))
    if version is None:
        return None
    return Pin(tool, version, path, manifest.line_of(name), f"[tool.{tool}] {name} names")


def consumer(directory: str, tool: str, root: str) -> Pin | None:
    """The release of `tool` that will consume the lock in `directory`: what the app whose root
    it is installs (apps looked for below `root`), else what its pyproject.toml requires; None
    when nothing pins one."""
    import os

    from hooks.units import join, may_hold_apps

    target = os.path.normpath(directory)
    if not may_hold_apps(root, target):
        return pyproject_pin(join(directory, "pyproject.toml"), tool)
    from hooks.models import app_config  # the YAML machinery and the config walk: only where an app can be

    # An unreadable app config is in `errors`, which the platform rules report.
    for app in app_config.load(root).apps:
        if os.path.normpath(app.path(".")) == target and app.is_python:
            pin = app_pin(app, tool)
            if pin is not None:
                return pin
    return pyproject_pin(join(directory, "pyproject.toml"), tool)
