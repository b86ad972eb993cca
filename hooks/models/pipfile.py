"""Pipfile and Pipfile.lock: the hash pipenv records in the lock, computed without pipenv.

pipenv hashes a JSON rendering of the Pipfile (sources, requires and every package section,
keys sorted, no spaces) and stores the SHA-256 in `_meta.hash.sha256`; `pipenv verify` and
`pipenv install --deploy` compare the two. Since pipenv 2026.4 package names are PEP 503
normalised first; from 2022.12 to 2026.2 they were hashed as written. Both are computed here, so
a finding can say which pipenv a lock satisfies. `spec/lock-freshness.md` §1 has the details.
"""

from __future__ import annotations

import datetime
import json
import re
from collections import namedtuple

from hooks import reading
from hooks.digests import sha256_hex
from hooks.findings import InputError
from hooks.models.names import canonical
from hooks.reading import line_of

# Imported for type checkers only: `typing` costs a hook several milliseconds of start-up.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

# Top-level Pipfile tables that are not package categories (pipenv 2022.12.17 and later).
NOT_CATEGORIES = frozenset({"source", "packages", "dev-packages", "requires", "scripts", "pipfile", "pipenv", "default", "develop"})
# The keys pipenv accepts in a package's inline table (an unknown key is a typo pipenv refuses).
PACKAGE_KEYS = frozenset(
    {
        "git", "svn", "hg", "bzr", "ref", "subdirectory", "name", "version", "extras", "editable",
        "markers", "os_markers", "hashes", "index", "no_binary", "pip_args", "skip_resolver", "path",
        "file", "os_name", "sys_platform", "platform_machine", "platform_python_implementation",
        "platform_release", "platform_system", "platform_version", "python_version",
        "python_full_version", "implementation_name", "implementation_version",
    }
)  # fmt: skip
_PACKAGE_KEY_TYPES = {"editable": bool, "version": str, "extras": list, "pip_args": list}


class Pipfile(namedtuple("Pipfile", ("path", "data", "text"))):
    """A Pipfile: its path, its parsed TOML (`data`) and its text (for line numbers)."""

    __slots__ = ()

    @property
    def declares_sources(self) -> bool:
        return "source" in self.data


class Lock(namedtuple("Lock", ("path", "hash", "hash_line", "sources", "requires"))):
    """A Pipfile.lock's `_meta`: the hash and its line, `sources` (what pipenv hashed when the
    Pipfile declares none; None when absent) and `requires`."""

    __slots__ = ()


def _key_pattern(key: str) -> str:
    return rf"^[ \t]*(?:{re.escape(key)}|\"{re.escape(key)}\"|'{re.escape(key)}')[ \t]*="


def _reject_datetimes(path: str, text: str, value: Any, where: str) -> None:
    if isinstance(value, (datetime.date, datetime.time)):
        raise InputError(path, f"`{where}` is a TOML date/time, which pipenv cannot hash: quote it", line_of(text, _key_pattern(where.rsplit(".", 1)[-1])))
    if isinstance(value, dict):
        for key, item in value.items():
            _reject_datetimes(path, text, item, f"{where}.{key}" if where else key)
    elif isinstance(value, list):
        for item in value:
            _reject_datetimes(path, text, item, where)


def _check_packages(pipfile: Pipfile, section: str) -> None:
    path, text, packages = pipfile.path, pipfile.text, pipfile.data[section]
    if not isinstance(packages, dict):
        raise InputError(path, f"`{section}` is not a table of packages, so pipenv cannot read this Pipfile", line_of(text, _key_pattern(section)))
    for name, value in packages.items():
        if isinstance(value, bool) or not isinstance(value, (str, int, float, dict)):
            raise InputError(path, f"package `{name}` in [{section}] is neither a version string nor a table, so pipenv refuses this Pipfile", line_of(text, _key_pattern(name)))
        if isinstance(value, dict):
            unknown = sorted(set(value) - PACKAGE_KEYS)
            if unknown:
                raise InputError(path, f"package `{name}` in [{section}] has option(s) pipenv does not know: {', '.join(unknown)}", line_of(text, _key_pattern(name)))
            for key, kind in _PACKAGE_KEY_TYPES.items():
                if key in value and not isinstance(value[key], kind):
                    raise InputError(path, f"package `{name}` in [{section}]: `{key}` must be a {kind.__name__}", line_of(text, _key_pattern(name)))


_SOURCE_HEADER = re.compile(r"^[ \t]*\[\[[ \t]*source[ \t]*\]\]", re.MULTILINE)


def _source_lines(text: str) -> list[int]:
    """The line of each `[[source]]` header, counted in one pass over the text (not once per
    source: a Pipfile of thousands of sources would be read thousands of times)."""
    lines, line, counted = [], 1, 0
    for header in _SOURCE_HEADER.finditer(text):
        line += text.count("\n", counted, header.start())
        counted = header.start()
        lines.append(line)
    return lines


def validate(pipfile: Pipfile) -> None:
    """Refuse what pipenv refuses (its Pipfile validation), so that a verdict is never given on
    a Pipfile pipenv itself would reject."""
    path, text, data = pipfile.path, pipfile.text, pipfile.data
    _reject_datetimes(path, text, data, "")
    if "source" in data:
        sources = data["source"]
        if not isinstance(sources, list):
            raise InputError(path, "`source` must be an array of tables (`[[source]]`)", line_of(text, r"^[ \t]*\[+[ \t]*source"))
        lines = _source_lines(text)
        for index, source in enumerate(sources):
            at = lines[index] if index < len(lines) else 1
            if not isinstance(source, dict):
                raise InputError(path, "each `[[source]]` must be a table", at)
            for key in ("name", "url"):
                if key not in source:
                    raise InputError(path, f'a [[source]] has no `{key}`, which pipenv requires: add `{key} = "…"`', at)
                if not isinstance(source[key], str):
                    raise InputError(path, f"a [[source]]'s `{key}` must be a string", at)
            if "verify_ssl" in source and not isinstance(source["verify_ssl"], bool):
                raise InputError(path, "a [[source]]'s `verify_ssl` must be true or false", at)
    if "requires" in data:
        requires = data["requires"]
        if not isinstance(requires, dict):
            raise InputError(path, "`requires` must be a table", line_of(text, _key_pattern("requires")))
        for key in ("python_version", "python_full_version"):
            if key in requires and not isinstance(requires[key], str):
                raise InputError(path, f'`[requires] {key}` must be a string: quote it (`{key} = "{requires[key]}"`)', line_of(text, _key_pattern(key)))
    for section in data:
        # pipenv validates every table but these as packages, `default` and `develop` included.
        if section not in ("source", "requires", "scripts", "pipfile", "pipenv"):
            _check_packages(pipfile, section)


def read_pipfile(path: str) -> Pipfile:
    text = reading.read_text(path)
    pipfile = Pipfile(path, reading.read_toml(path), text)
    validate(pipfile)
    return pipfile


def _type_error(path: str, text: str, what: str, pattern: str) -> InputError:
    return InputError(path, f"{what}, so pipenv cannot read this lock: run `pipenv lock`", line_of(text, pattern))


def read_lock(path: str) -> Lock:
    data = reading.read_json(path)
    text = reading.read_text(path)
    if not isinstance(data, dict):
        raise _type_error(path, text, "is not a JSON object", r"\S")
    meta = data.get("_meta")
    if not isinstance(meta, dict):
        raise _type_error(path, text, "has no `_meta` object", r"\"_meta\"" if "_meta" in data else r"\S")
    hash_table = meta.get("hash")
    digest = hash_table.get("sha256") if isinstance(hash_table, dict) else None
    if not isinstance(digest, str) or not digest:
        raise _type_error(path, text, "has no `_meta.hash.sha256` string", r"\"hash\"" if "hash" in meta else r"\"_meta\"")
    sources = meta.get("sources")
    if sources is not None and not isinstance(sources, list):
        raise _type_error(path, text, "`_meta.sources` is not a list", r"\"sources\"")
    requires = meta.get("requires", {})
    if not isinstance(requires, dict):
        raise _type_error(path, text, "`_meta.requires` is not an object", r"\"requires\"")
    return Lock(path, digest, line_of(text, r"\"sha256\"\s*:"), sources, requires)


# The top-level tables each hash era leaves out of the hash (every other table is a category).
_NOT_CATEGORIES_BY_ERA = {
    "categories-with-pipenv": NOT_CATEGORIES - {"pipenv", "pipfile"},
    "categories-with-pipfile": NOT_CATEGORIES - {"pipfile"},
    "categories": NOT_CATEGORIES,
    "normalised-names": NOT_CATEGORIES,
}


def _hash_content(pipfile: Pipfile, default_sources: list[Any], era: str) -> str:
    data = pipfile.data
    names: Any = canonical if era == "normalised-names" else str
    content: dict[str, Any] = {
        "_meta": {"sources": data["source"] if "source" in data else default_sources, "requires": data.get("requires", {})},
        "default": {names(k): v for k, v in data.get("packages", {}).items()},
        "develop": {names(k): v for k, v in data.get("dev-packages", {}).items()},
    }
    # The first era ("sections") hashes no custom category: every table is skipped.
    skipped = _NOT_CATEGORIES_BY_ERA.get(era, frozenset(data))
    for category, packages in data.items():
        if category not in skipped:
            content[category] = {names(k): v for k, v in packages.items()}
    serialised = json.dumps(content, sort_keys=True, separators=(",", ":"))
    return sha256_hex(serialised)


def era_hash(pipfile: Pipfile, default_sources: list[Any], era: str) -> str:
    """The hash the pipenvs of one era (`tool_versions.PIPENV_HASH_ERAS`) compute."""
    return _hash_content(pipfile, default_sources, era)


def current_hash(pipfile: Pipfile, default_sources: list[Any]) -> str:
    """The hash pipenv 2026.4 and later compute: package names PEP 503 normalised."""
    return _hash_content(pipfile, default_sources, "normalised-names")


def names_as_written_hash(pipfile: Pipfile, default_sources: list[Any]) -> str:
    """The hash pipenv 2022.12.17 to 2026.2 computed: package names as written."""
    return _hash_content(pipfile, default_sources, "categories")


def accepting_eras(pipfile: Pipfile, default_sources: list[Any], digest: str) -> set[str]:
    """The hash eras whose pipenvs find `digest` in sync with this Pipfile."""
    from hooks.models.tool_versions import PIPENV_HASH_ERAS

    return {era for _, era in PIPENV_HASH_ERAS if era_hash(pipfile, default_sources, era) == digest}


# -- a pylock file beside the Pipfile ------------------------------------------------------------

# What each pipenv does with a pylock file (PEP 751) in the Pipfile's folder, by first release,
# oldest first. Source: pypa/pipenv's history: PR #6391 (first in v2026.0.0) added
# `[pipenv] use_pylock = true`, which makes every `pipenv lock` also write `pylock.toml` (or
# `pylock.<name>.toml` with `[pipenv] pylock_name = "<name>"`) from the Pipfile.lock it has just
# written; PR #6614 (first in v2026.4.0) let `pipenv sync` install a pylock file when there is no
# Pipfile.lock. Checked 2026-11-29 in pipenv 2026.10.3's source (pipenv/utils/lockfile.py
# `Lockfile.write` and `pylock_location`, pipenv/utils/pylock.py `find_pylock_file` and
# `PylockFile.from_lockfile`, pipenv/project.py `Project.get_or_create_lockfile`,
# pipenv/routines/install.py `handle_lockfile`, pipenv/cli/command.py `cmd_verify`) and by
# running it (tests/pipenv_pylock_test.py). What holds for every release that knows pylock files:
# - the pylock file records no Pipfile hash (`created-by = "pipenv"`, and `[tool.pipenv]`
#   holds only `generated_from = "Pipfile.lock"` and `generation_date`), so nothing in it tells
#   pipenv whether it is in sync with the Pipfile, and pipenv never compares the two;
# - whenever Pipfile.lock exists, every install (`pipenv install`, `install --deploy`, `sync`)
#   installs Pipfile.lock's packages, and `verify` and `install --deploy` judge Pipfile.lock's
#   hash alone, `use_pylock` or not. (With `use_pylock`, `install` checks that the pylock file's
#   `requires-python` and `environments` admit the target Python and prints "Installing
#   dependencies from pylock.toml" — while installing Pipfile.lock's packages.)
# - without Pipfile.lock, `pipenv verify` fails and `pipenv install` (`--deploy` too) re-locks:
#   it resolves anew, writes Pipfile.lock (and the pylock file, with `use_pylock`) and installs that.
PIPENV_PYLOCK_ERAS = (
    ("2018.5.18", "ignored"),  # no pylock support: the file is not read nor written
    ("2026.0.0", "written"),  # `use_pylock` writes it; `pipenv sync` without Pipfile.lock refuses
    ("2026.4.0", "synced"),  # and `pipenv sync` installs it, unchecked, when there is no Pipfile.lock
)


def pipenv_pylocks(names: list[str]) -> list[str]:
    """The pylock files pipenv looks for among the names of the Pipfile's folder, in the order it
    takes them: `pylock.toml`, else any `pylock.*.toml` (the first its directory listing gives:
    `find_pylock_file`, a glob, so several named files are taken in no stated order)."""
    if "pylock.toml" in names:
        return ["pylock.toml"]
    return [name for name in names if name.startswith("pylock.") and name.endswith(".toml") and len(name) >= len("pylock..toml")]


def uses_pylock(pipfile: Pipfile) -> bool:
    """`[pipenv] use_pylock = true`: pipenv 2026.0.0 and later write a pylock file on every lock."""
    settings = pipfile.data.get("pipenv")
    return isinstance(settings, dict) and bool(settings.get("use_pylock"))  # truthy, as pipenv reads it
