"""A uv project has a `uv.lock` that `uv lock --check` accepts, judged without uv.

uv.lock records no hash: uv checks it by comparing what the lock says each workspace member
declared with what its pyproject.toml declares now. This hook makes the same comparison,
offline and without the uv binary, and names what differs.

## What it checks
- A project with a `[tool.uv]` table (unless `managed = false`) has a `uv.lock`.
- For the workspace (the root project and every `[tool.uv.workspace]` member), the lock agrees
  with the pyprojects: `requires-python` as a range, each member's `version`, its
  `dependencies` and optional dependencies (extras folded into markers, `[tool.uv.sources]`
  applied), `provides-extras`, its dependency groups (`include-group` flattened, the legacy
  `dev-dependencies` as `dev`), `[tool.uv]` `constraint-dependencies`,
  `override-dependencies`, `resolution`, `prerelease`, `fork-strategy` and `exclude-newer`.
  Specifiers and markers are compared by meaning: `>=1.16` is `>=1.16.0`, and a marker implied
  by `requires-python` is no marker.
- What cannot be judged statically is said in a note that does not fail the hook (`--strict`
  makes it fail): dynamic `version` or `dependencies`, and lock settings that only uv.toml, the
  command line or `UV_*` variables could have set.
- Watched files: `pyproject.toml` and `uv.lock` at any depth; a member's pyproject.toml is judged
  with the workspace's uv.lock.

## Why it matters
`uv sync --locked` in the build fails on a stale lock; plain `uv sync` re-locks on the server,
installing releases nobody tested.

## Failing example
```toml
# pyproject.toml: django was raised after `uv lock`
[project]
name = "app"
version = "0.1.0"
requires-python = ">=3.12"
dependencies = ["django>=5.1"]
```

## Passing example
The same pyproject.toml with the `uv.lock` that `uv lock` writes for it.

## How to fix
Run `uv lock` and commit `uv.lock`.
"""
from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from types import SimpleNamespace

from hooks import reading, runner
from hooks.catalogue import rule_of_module
from hooks.findings import Finding, InputError, judged
from hooks.models import uv as model
from hooks.projects import by_directory, join

RULE = rule_of_module(__file__)


def _uv_table(pyproject: dict) -> dict | None:
    tool = pyproject.get("tool")
    value = tool.get("uv") if isinstance(tool, dict) else None
    return value if isinstance(value, dict) else None


def project_root(directory: str) -> str | None:
    """The directory of the uv.lock that governs `directory`: its own, or a workspace root's
    above it (uv keeps one lock per workspace, at the root)."""
    current = os.path.normpath(directory)
    while True:
        if os.path.isfile(join(current, "uv.lock")):
            return current
        parent = os.path.dirname(current) if current not in ("", os.curdir) else None
        if parent is None or parent == current:
            return None
        current = parent or os.curdir


def judge_project(directory: str, options: SimpleNamespace) -> Iterator[Finding]:
    pyproject_path, lock_path = join(directory, "pyproject.toml"), join(directory, "uv.lock")
    if not os.path.lexists(pyproject_path):
        if os.path.lexists(lock_path):
            yield Finding(lock_path, 1, 1, RULE.id, "has no pyproject.toml beside it, so nothing says what it locks: restore pyproject.toml, or delete the lock")
        return
    if not os.path.lexists(lock_path):
        uv = _uv_table(reading.read_toml(pyproject_path))
        if uv is not None and uv.get("managed", True) is not False:
            yield Finding(pyproject_path, 1, 1, RULE.id, "has a [tool.uv] table but no uv.lock, so every `uv sync` resolves anew: run `uv lock` and commit uv.lock")
        return
    try:
        comparison = model.compare(directory, lock_path)
    except (ValueError, TypeError, AttributeError, KeyError) as error:
        # A value of the wrong type or an invalid requirement, specifier or marker: uv refuses
        # such a project too. (packaging's Invalid* errors are ValueErrors.)
        reason = " ".join(str(error).split()) or type(error).__name__
        raise InputError(pyproject_path, f"has a value uv cannot read ({reason}): fix it, then run `uv lock`") from None
    for difference in comparison.differences:
        yield Finding(lock_path, 1, 1, RULE.id, f"is out of date: {difference}; run `uv lock` and commit uv.lock")
    for unknown in comparison.unknowns:
        yield Finding(lock_path, 1, 1, RULE.id, f"cannot be fully judged without uv: {unknown}", fails=bool(options.strict))


def check(paths: Sequence[str], options: SimpleNamespace) -> Iterator[Finding]:
    roots: dict[str, None] = {}
    for directory in by_directory(paths):
        roots[project_root(directory) or directory] = None
    for root in roots:
        yield from judged(RULE.id, lambda: judge_project(root, options))


def main(argv: Sequence[str] | None = None) -> int:
    return runner.run_rule(__file__, argv)


if __name__ == "__main__":
    raise SystemExit(main())
