"""The Python of a Platform.sh or Upsun app's `type: python:X.Y` satisfies every Python version
the app's manifests declare, and the hooks call that same Python.

Platform.sh's Python guide pairs `type: 'python:3.X'` with `python3.X -m pip` in the build hook.
A `Pipfile` asking for another Python makes `pipenv install --deploy` fail on the server; a
`requires-python` the image does not satisfy makes Poetry and uv refuse to install, or uv
download another interpreter.

## What it checks
For every Python app, the `X.Y` of `type: python:X.Y` (or `python@X.Y` in a composable stack)
against, at the app root:
- `Pipfile` `[requires] python_version` / `python_full_version`, and `Pipfile.lock`'s
  `_meta.requires`;
- pyproject.toml's `requires-python` and Poetry's `python` dependency (`^3.11`, `~3.12`,
  `>=3.10,<3.13`);
- `.python-version` and `runtime.txt` (`python-3.12.4`);
- `pythonX.Y` and `pipX.Y` commands in the hooks.
A patch version (`3.12.4`) is compared by major and minor: the image carries the latest patch.

It also reports a `python:X.Y` (or `python@X.Y`) the platform has retired (2.7, 3.5 to 3.9, and
anything older than the oldest version it lists), naming the versions it offers, from the table
in `hooks/models/platform_runtimes.py` (its source and the date it was read; a test fails when
that date is a year old). Deprecated versions (3.10 to 3.12) still deploy and are not reported;
a version newer than the table knows is not judged, as the table may be older than the image.

## Why it matters
The build runs the image's Python whatever the manifests say: a mismatch fails the deployment
(pipenv, Poetry, uv refuse) or, worse, installs and runs on a Python the app was not tested on.
A retired runtime gets no updates, and the platform's own linter (`upsun lint`) rejects it.

## Failing example
```yaml
# .platform.app.yaml, with a Pipfile saying python_version = "3.11"
type: 'python:3.12'
```

## Passing example
```yaml
# .platform.app.yaml, with a Pipfile saying python_version = "3.12"
type: 'python:3.12'
```

## How to fix
Make them agree: change `type:` to the Python the manifests declare, or make the declaration
allow the app's Python; each finding says the edit (`python_version = "3.12"` under
`[requires]`, then `pipenv lock`); move a retired runtime to a supported one. A Pipfile and
its Pipfile.lock asking for the same other Python are one finding on the Pipfile (the lock's
line related): `pipenv lock` rewrites both.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from types import SimpleNamespace

from hooks import reading
from hooks.catalogue import rule_of_module
from hooks.findings import Finding, Fix, InputError, Location, finding
from hooks.models import platform_runtimes
from hooks.models import pyproject as pyproject_model
from hooks.models.app_config import App
from hooks.models.python_versions import plain_allows, poetry_to_pep440

RULE = rule_of_module(__file__)


def _edit(app: App, path: str, what: str, version: str) -> Fix:
    """The exact edit that makes the declaration in `path` allow Python `version`, and the lock
    command that follows it."""
    name = os.path.basename(path)
    folder = os.path.dirname(path)
    if name == "Pipfile":
        key = "python_full_version" if "python_full_version" in what else "python_version"
        edit = f'`{key} = "{version}"` under [requires]' if key == "python_version" else f'`python_version = "{version}"` under [requires] in place of python_full_version'
        return Fix(f"write {edit}, then run `pipenv lock`", "pipenv lock")
    if name == "Pipfile.lock":
        return Fix(f"the Pipfile asks for another Python than the lock: run `pipenv lock` with Python {version}", "pipenv lock")
    if name == "pyproject.toml":
        relock = "uv lock" if reading.is_file(os.path.join(folder, "uv.lock")) else "poetry lock" if reading.is_file(os.path.join(folder, "poetry.lock")) else None
        edit = f'`python = "^{version}"` under [tool.poetry.dependencies]' if what.startswith("Poetry") else f'`requires-python = ">={version}"`'
        return Fix(f"write {edit}" + (f", then run `{relock}`" if relock else ""), relock)
    if name == "runtime.txt":
        return Fix(f"write `python-{version}` in runtime.txt")
    return Fix(f"write `{version}` in {name}")


def allows(specifier: str, version: str) -> bool | None:
    """Does the PEP 440 `specifier` (alternatives joined by `||`) allow Python `version` (X.Y)?
    Any patch of X.Y counts; None when the specifier cannot be read."""
    candidates = [f"{version}.{patch}" for patch in range(0, 40)]
    plain = plain_allows(specifier, candidates)
    if plain is not None:
        return plain
    from packaging.specifiers import InvalidSpecifier, SpecifierSet

    try:
        sets = [SpecifierSet(part) for part in specifier.split("||")]
    except InvalidSpecifier:
        return None
    return any(spec.contains(candidate, prereleases=True) for spec in sets for candidate in candidates)


def _minor(text: str) -> str | None:
    match = re.match(r"^\s*(?:python-?)?(\d+\.\d+)", text.strip())
    return match[1] if match else None


def declarations(app: App) -> Iterator[tuple[str, int, str, str]]:
    """(file, line, what, specifier) for each Python version the app root declares."""
    pipfile = app.path("Pipfile")
    if reading.is_file(pipfile):
        text = reading.read_text(pipfile)
        requires = reading.read_toml(pipfile).get("requires", {})
        if isinstance(requires, dict):
            for key in ("python_version", "python_full_version"):
                if isinstance(requires.get(key), str) and _minor(requires[key]):
                    yield pipfile, reading.line_of(text, rf"^[ \t]*{key}[ \t]*="), f"[requires] {key} = {requires[key]!r}", f"=={_minor(requires[key])}.*"
    lock = app.path("Pipfile.lock")
    if reading.is_file(lock):
        data = reading.read_json(lock)
        requires = data.get("_meta", {}).get("requires", {}) if isinstance(data, dict) and isinstance(data.get("_meta"), dict) else {}
        for key in ("python_version", "python_full_version"):
            value = requires.get(key) if isinstance(requires, dict) else None
            if isinstance(value, str) and _minor(value):
                yield lock, reading.line_of(reading.read_text(lock), rf"\"{key}\""), f"_meta.requires.{key} = {value!r}", f"=={_minor(value)}.*"
    pyproject = app.path("pyproject.toml")
    if reading.is_file(pyproject):
        manifest = pyproject_model.read(pyproject)
        if manifest.requires_python:
            yield pyproject, manifest.line_of("requires-python"), f"requires-python = {manifest.requires_python!r}", manifest.requires_python
        if manifest.poetry_python:
            yield pyproject, manifest.line_of("python"), f"Poetry's python = {manifest.poetry_python!r}", poetry_to_pep440(manifest.poetry_python)
    for name, label in ((".python-version", ".python-version"), ("runtime.txt", "runtime.txt")):
        path = app.path(name)
        if reading.is_file(path):
            for number, line in enumerate(reading.read_text(path).split("\n"), 1):
                if line.strip() and not line.strip().startswith("#"):
                    minor = _minor(line)
                    if minor:
                        yield path, number, f"{label} says {line.strip()!r}", f"=={minor}.*"
                    break


def judge(app: App, options: SimpleNamespace) -> Iterator[Finding]:
    version = app.python_version
    if not app.is_python or version is None:
        return
    at = app.line_of("type") if app.type else app.line_of("stack")
    image = f"`type: python:{version}`" if app.type.startswith("python:") else f"`python@{version}` in the stack"
    if platform_runtimes.is_retired(version):
        newest = platform_runtimes.SUPPORTED[0]
        offered = ", ".join(platform_runtimes.SUPPORTED)
        edit = f"`type: 'python:{newest}'`" if app.type.startswith("python:") else f"`python@{newest}` in the stack"
        problem = f"app `{app.name}`: {image} is a Python the platform has retired; it offers {offered} (and deprecated {', '.join(platform_runtimes.DEPRECATED)})"
        yield finding(app.config, at, RULE.id, "retired-runtime", problem, Fix(f"set {edit} and make the manifests declare that Python"))
    try:
        found = list(declarations(app))
    except InputError as error:
        yield error.finding(RULE.id)
        return
    mismatches = [(path, line, what) for path, line, what, specifier in found if allows(specifier, version) is False]
    locks = {path: (line, what) for path, line, what in mismatches if os.path.basename(path) == "Pipfile.lock"}
    for path, line, what in mismatches:
        related = [Location(app.config, at, "the app's Python")]
        if os.path.basename(path) == "Pipfile.lock" and os.path.join(os.path.dirname(path), "Pipfile") in {p for p, _, _ in mismatches}:
            continue  # the Pipfile's finding carries it: `pipenv lock` rewrites it
        lock = os.path.join(os.path.dirname(path), "Pipfile.lock")
        if os.path.basename(path) == "Pipfile" and lock in locks:
            related.append(Location(lock, locks[lock][0], f"Pipfile.lock's {locks[lock][1]}"))
        yield finding(
            path, line, RULE.id, "python-mismatch",
            f"{what} does not allow Python {version}, which app `{app.name}` runs ({image} in {app.config}:{at})",
            _edit(app, path, what, version), related=tuple(related),
        )  # fmt: skip
    for command in app.commands():
        match = re.match(r"^(?:.*/)?(python|pip)(\d+\.\d+)$", command.words[0]) if command.words else None
        if match and match[2] != version:
            yield finding(command.source, command.line, RULE.id, "other-python-command", f"app `{app.name}`: `{command.words[0]}` is not the Python of {image}", Fix(f"use `{match[1]}{version}`"))
