"""Units: what a rule judges, one at a time, made from the paths a hook or `lockguard` is given.

A rule declares its `scope` in the catalogue; `SCOPES[scope](paths)` turns the changed paths
into that scope's units, each judged once whichever of its files changed:
- `file`: each file (a requirements file, an environment.yml);
- `project`: each directory holding a changed manifest or lock (the partner file is read from
  disk, so a monorepo needs one hook entry);
- `uv-project`: the directory of the uv.lock that governs a changed file (a workspace's root);
- `export`: each requirements file, and those of a project whose lock or `.in` file changed;
- `app`: each Platform.sh/Upsun app whose config or root holds a changed file.

Paths are relative to the repository root (the current directory while rules run). A scope
yields units, and an `InputError` for what cannot become one; the runner turns each into one
error line.
"""

from __future__ import annotations

import os
import re
from collections import namedtuple
from collections.abc import Callable, Iterable, Iterator

from hooks import reading
from hooks.catalogue import REQUIREMENTS_FILES

# Imported for type checkers only: `typing` costs a hook several milliseconds of start-up.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Union

    Unit = Union["FileUnit", "ProjectUnit", Any]


def join(directory: str, name: str) -> str:
    """A path for display: `name` inside `directory`, without a leading `./`."""
    return name if directory in ("", os.curdir) else os.path.join(directory, name)


def directory_of(path: str) -> str:
    return os.path.dirname(os.path.normpath(path)) or os.curdir


def project_of(path: str) -> str:
    """The project directory of a manifest: its directory, or the parent of a `requirements/`
    folder (where `requirements/base.txt` belongs to the project beside that folder)."""
    parts = directory_of(path).replace(os.sep, "/").split("/")
    if "requirements" in parts:
        return "/".join(parts[: parts.index("requirements")]) or os.curdir
    return directory_of(path)


def nearest_above(directory: str, name: str) -> str | None:
    """The directory, at or above `directory` and inside the repository, that holds the file
    `name` (uv keeps one lock per workspace, at its root), or None."""
    current = os.path.normpath(directory)
    if os.path.isabs(current) or current.split(os.sep, 1)[0] == os.pardir:
        return None  # not below the root: the boundary ends the walk
    while True:
        if reading.is_file(join(current, name)):
            return current
        if current == os.curdir:
            return None
        current = os.path.dirname(current) or os.curdir


def is_requirements_file(path: str) -> bool:
    return bool(re.search(REQUIREMENTS_FILES, path.replace(os.sep, "/")))


def requirements_files_of(project: str) -> list[str]:
    """The requirements files of a project: in its directory and its `requirements/` folder."""
    found = []
    for folder in (project, join(project, "requirements")):
        found += [join(folder, n) for n in reading.list_dir(folder) if is_requirements_file(join(folder, n)) and reading.is_file(join(folder, n))]
    return found


def include_target(including: str, target: str) -> str:
    """The path a `-r`/`-c` line of `including` names, relative to the root."""
    return os.path.normpath(os.path.join(os.path.dirname(including), target))


def same_file_key(path: str) -> str:
    """One key for every spelling of a file (symlinks resolved): what include cycles compare."""
    return os.path.realpath(path)


class FileUnit(namedtuple("FileUnit", ("path",))):
    """One file, judged alone (its includes followed by the rule)."""

    __slots__ = ()


class ProjectUnit(namedtuple("ProjectUnit", ("directory",))):
    """A directory holding a manifest and its lock."""

    __slots__ = ()

    def path(self, name: str) -> str:
        return join(self.directory, name)

    def has(self, name: str) -> bool:
        """Is `name` there (a dangling symlink counts: reading it says what is wrong)?"""
        return reading.exists(self.path(name))


def place_of(unit: object) -> str:
    """The path a unit is reported at: its file, its project folder, or its app's config."""
    for attribute in ("path", "config", "directory"):
        value = getattr(unit, attribute, None)
        if isinstance(value, str):
            return value
    return os.curdir


def _unique(paths: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(os.path.normpath(p) for p in paths))


def files(paths: Iterable[str], base: str = os.curdir) -> Iterator[FileUnit]:
    for path in _unique(paths):
        yield FileUnit(path)


def projects(paths: Iterable[str], base: str = os.curdir) -> Iterator[ProjectUnit]:
    for directory in dict.fromkeys(directory_of(p) for p in paths):
        yield ProjectUnit(directory)


def uv_projects(paths: Iterable[str], base: str = os.curdir) -> Iterator[ProjectUnit]:
    roots = (nearest_above(directory_of(p), "uv.lock") or directory_of(p) for p in paths)
    for root in dict.fromkeys(roots):
        yield ProjectUnit(root)


def exports(paths: Iterable[str], base: str = os.curdir) -> Iterator[FileUnit]:
    """Requirements files; a changed lock or `.in` file brings its project's."""
    targets: list[str] = []
    for path in paths:
        if is_requirements_file(path):
            targets.append(path)
        else:
            targets += requirements_files_of(directory_of(path) if path.endswith(".in") else project_of(path))
    yield from files(targets, base)


def apps(paths: Iterable[str], base: str = os.curdir) -> Iterator[Any]:
    """Apps as the platform finds them below `base` (the checked folder)."""
    from hooks.models import app_config  # the YAML machinery: only for the rules that judge apps

    yield from app_config.touched_apps(list(paths), base)


SCOPES: dict[str, Callable[[Iterable[str], str], Iterator[Any]]] = {
    "file": files,
    "project": projects,
    "uv-project": uv_projects,
    "export": exports,
    "app": apps,
}


def may_hold_apps(root: str, directory: str) -> bool:
    """Can an app have `directory` as its root? Only if an app config is there (`.platform.app.yaml`)
    or at `root` (`.platform/applications.yaml`, `.upsun/`): a cheap look before the config walk
    and the YAML machinery."""
    return (
        reading.exists(join(directory, ".platform.app.yaml")) or reading.exists(join(directory, ".platform.app.yml")) or reading.is_dir(join(root, ".platform")) or reading.is_dir(join(root, ".upsun"))
    )
