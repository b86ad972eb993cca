"""A Poetry project has a `poetry.lock`, and it is fresh: Poetry's own verdict, without Poetry.

Platform.sh's Python guide commits `poetry.lock` and runs `poetry install` in the build hook;
with a stale lock the server installs something else than what was tested (Poetry 1.8 and later
refuse to install at all). This hook computes the `content-hash` Poetry records, offline and in
milliseconds, instead of installing Poetry into the hook environment.

## What it checks
- A Poetry project (a `[tool.poetry]` table, the `poetry.core` build backend, or a
  `poetry.lock` beside pyproject.toml) has a `poetry.lock`; a `poetry.lock` has a
  pyproject.toml.
- The lock's `[metadata] content-hash` is what the latest Poetry computes: `[tool.poetry]`'s
  dependencies, groups, sources and extras, `[project]`'s `requires-python`, `dependencies` and
  `optional-dependencies`, and `[dependency-groups]` (a lock written before Poetry 2.3 may
  ignore the latter, as Poetry accepts). Descriptions, versions, scripts, comments and key order
  do not matter.
- When the lock matches only what an older Poetry hashed, the finding says which and why
  (Poetry 2 also hashes `[project]`; Poetry 1.2 added groups).
- The Poetry the build runs decides: the one the Platform.sh/Upsun app whose root holds the
  project installs (`dependencies.python3.poetry`, `POETRY_VERSION` or the installer's
  `--version`, `pip install poetry==X`), else `[tool.poetry] requires-poetry` when it names one
  release. A lock fresh for it passes, with a note naming the pin and the Poetry releases that
  would reject the lock; a lock fresh for other releases only fails, naming both.
- A pyproject the latest Poetry refuses to load (a `secondary` or `default` source, an
  unparsable version constraint, no name or version in package mode) is reported as such, not
  judged fresh or stale. A `lock-version` this hook does not know is reported too.
- Watched files: `pyproject.toml` and `poetry.lock` at any depth; each project is judged once.
  Only the lock's header and `[metadata]` table are read.

## Why it matters
A stale lock means the build resolves and installs other releases than the ones tested, or,
with Poetry 1.8 and later, that `poetry install` fails in the build hook.

## Failing example
```toml
# pyproject.toml: requests was added after `poetry lock`
[tool.poetry.dependencies]
python = "^3.12"
django = "5.1.4"
requests = "2.32.3"
```

## Passing example
The same pyproject.toml with the `poetry.lock` that `poetry lock` writes for it.

## How to fix
Run `poetry lock` (Poetry 2: `poetry lock`; Poetry 1.x: `poetry lock --no-update`) with the
Poetry the build uses, and commit `poetry.lock` with pyproject.toml.
"""

from __future__ import annotations

from collections.abc import Iterator
from types import SimpleNamespace

from hooks import pinned_tool, reading
from hooks.catalogue import rule_of_module
from hooks.findings import Finding, Fix, finding
from hooks.models import poetry as model
from hooks.models import pyproject as pyproject_model
from hooks.models import tool_versions
from hooks.units import ProjectUnit

# Imported for type checkers only: `typing` costs a hook several milliseconds of start-up.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

RULE = rule_of_module(__file__)
POETRY = pinned_tool.Tool("Poetry", tool_versions.POETRY_HASH_ERAS, {"D"}, "fresh", "`poetry install` in the build finds it stale", "poetry.lock", "poetry lock")
RELOCK = Fix("run `poetry lock` and commit poetry.lock", "poetry lock")


def _stale(pyproject: dict[str, Any], lock: model.Lock) -> tuple[str, str, Fix]:
    """(kind, problem, fix) for a lock whose content-hash is not the current one."""
    writer = f"Poetry {lock.writer}" if lock.writer else "an older Poetry"
    has_project = any(pyproject.get("project", {}).get(key) is not None for key in model.PROJECT_KEYS)
    if lock.content_hash == model.content_hash(pyproject, "C"):
        return (
            "older-tool-lock",
            f"was written by {writer}, which ignored [dependency-groups]; Poetry 2.3 and later hash them and reject this lock",
            Fix("run `poetry lock` with a current Poetry and commit poetry.lock", "poetry lock"),
        )
    if lock.content_hash in (model.content_hash(pyproject, "B"), model.content_hash(pyproject, "A")) and has_project:
        return (
            "older-tool-lock",
            f"was written by {writer} (1.x), which ignored [project]; Poetry 2 also hashes [project]'s dependencies and requires-python, so it rejects this lock",
            Fix("run `poetry lock` with Poetry 2 and commit poetry.lock", "poetry lock"),
        )
    if lock.content_hash == model.content_hash(pyproject, "A"):
        return "older-tool-lock", f"was written by {writer} (1.1 or older), which ignored dependency groups; current Poetry rejects this lock", RELOCK
    expected = model.content_hash(pyproject, "D")
    return "stale-lock", f"is out of date: its content-hash {lock.content_hash[:12]}… does not match pyproject.toml's {expected[:12]}…", RELOCK


def judge(project: ProjectUnit, options: SimpleNamespace) -> Iterator[Finding]:
    pyproject_path, lock_path = project.path("pyproject.toml"), project.path("poetry.lock")
    if not project.has("pyproject.toml"):
        if project.has("poetry.lock"):
            yield finding(lock_path, 1, RULE.id, "orphan-lock", "has no pyproject.toml beside it, so nothing says what it locks", Fix("restore pyproject.toml, or delete the lock"))
        return
    manifest = pyproject_model.read(pyproject_path)
    pyproject, text = manifest.data, manifest.text
    model.check_shape(pyproject_path, text, pyproject)
    if not project.has("poetry.lock"):
        if model.is_poetry_project(pyproject):
            yield finding(pyproject_path, 1, RULE.id, "missing-lock", "is a Poetry project without poetry.lock, so every install resolves anew", RELOCK)
        return
    problem = model.load_problem(pyproject)
    if problem:
        line = reading.line_of(text, r"^[ \t]*\[[ \t]*tool\.poetry") if "tool.poetry" in problem or "[tool.poetry" in text else 1
        yield finding(pyproject_path, line, RULE.id, "unloadable-project", f"cannot be loaded by the latest Poetry, so its lock cannot be judged: {problem}")
        return
    lock = model.read_lock(lock_path)
    if lock.lock_version is not None and lock.lock_version not in model.KNOWN_LOCK_VERSIONS:
        known = ", ".join(model.KNOWN_LOCK_VERSIONS)
        newer_minor = lock.lock_version.startswith("2.")
        yield finding(
            lock_path, lock.hash_line, RULE.id, "unknown-lock-version",
            f"has lock-version {lock.lock_version}, which this hook does not know ({known}); "
            + ("its content-hash is still judged" if newer_minor else "Poetry 2 reads lock-version 1.x and 2.x only"),
            None if newer_minor else Fix("run `poetry lock`", "poetry lock"),
            fails=not newer_minor,
        )  # fmt: skip
    accepting = model.fresh_eras(pyproject, lock)
    pin = tool_versions.consumer(project.directory, "poetry", options.root)
    if pin is not None and accepting:
        yield from pinned_tool.judge(RULE.id, POETRY, lock.path, lock.hash_line, accepting, pin)
    elif "D" not in accepting:
        kind, stale, fix = _stale(pyproject, lock)
        if pin is not None:
            stale += f" (nor what Poetry {pin.version} computes, {pin.where})"
            fix = fix._replace(text=f"run `poetry lock` with Poetry {pin.version} and commit poetry.lock")
        yield finding(lock_path, lock.hash_line, RULE.id, kind, stale, fix, joiner="; " if kind == "stale-lock" else ": ")
