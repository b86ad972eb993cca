"""A PDM project has a `pdm.lock`, and it is fresh: PDM's own verdict, without PDM.

`pdm install` in a build hook installs from `pdm.lock`; with a stale lock it re-resolves, and
`pdm install --frozen-lockfile` or `pdm sync` installs what no longer matches pyproject.toml.
This hook computes the `content_hash` PDM records, offline and in milliseconds, instead of
installing PDM into the hook environment.

## What it checks
- A PDM project (a pdm.lock beside pyproject.toml, or a `[tool.pdm]` table that configures more
  than the pdm-backend build backend's `build` and `version`) has a `pdm.lock`, unless another
  tool's lock (uv.lock, poetry.lock) is there instead; a `pdm.lock` has a pyproject.toml. The
  pdm-backend build backend alone does not make a PDM project: uv and Hatch projects use it too.
- The lock's `[metadata] content_hash` is what the current PDM (2.28 and later) computes:
  `[project]`'s `dependencies`, `optional-dependencies` and `requires-python`,
  `[dependency-groups]` with `[tool.pdm.dev-dependencies]` (group names normalised),
  `[[tool.pdm.source]]` and `[tool.pdm.resolution]`. Names, versions, scripts, comments, key
  order and whitespace do not matter; the order of a dependency list and the spelling of a
  requirement do.
- A workspace root (`[tool.pdm.workspace]`) hashes every member's pyproject too; a change in a
  member is judged against the root's lock.
- A lock that matches only what an older PDM hashed (before 2.20 PDM ignored
  `[dependency-groups]`; before 2.16 it hashed only the `overrides` of `[tool.pdm.resolution]`;
  before 1.5 it read dev-dependencies from `[project]`) is reported with the PDM versions that
  wrote it, as the current PDM rejects it.
- A lock PDM 2 cannot read (no `lock_version`, a PDM 1.x `lock_version` such as `3.1`, or a
  newer format than 4.5) is reported as such.
- A project with `[tool.pdm.lock] format = "pylock"` locks into `pylock.toml`, which the
  `pylock` rule judges: this hook leaves it alone. A lock recording `lock_inputs` (PDM 2.28.1's
  opt-in `[tool.pdm.resolution] lock_inputs = true`) and a pyproject without `[project]` that
  PDM converts from Poetry or Flit cannot be judged statically: a note says so.
- Watched files: `pyproject.toml` and `pdm.lock` at any depth; each project is judged once. A
  lock named by `PDM_LOCKFILE` or `--lockfile` is not watched.

## Why it matters
A stale lock means the build installs releases nobody tested, or resolves anew on the server;
`pdm lock --check` in CI catches it only after the push, and needs PDM installed.

## Failing example
```toml
# pyproject.toml: requests was added after `pdm lock`
[project]
name = "app"
version = "0.1.0"
requires-python = ">=3.11"
dependencies = ["django==5.1.4", "requests==2.32.3"]
```

## Passing example
The same pyproject.toml with the `pdm.lock` that `pdm lock` writes for it.

## How to fix
Run `pdm lock` (PDM 2.28 or later) and commit `pdm.lock` with pyproject.toml. For a lock in
sync with its dependencies that only needs the new hash, `pdm lock --refresh` is enough.
"""

from __future__ import annotations

from collections.abc import Iterator
from types import SimpleNamespace

from hooks.catalogue import rule_of_module
from hooks.findings import Finding, Fix, finding
from hooks.models import pdm as model
from hooks.models import pyproject as pyproject_model
from hooks.units import ProjectUnit, join

RULE = rule_of_module(__file__)
RELOCK = Fix("run `pdm lock` and commit pdm.lock", "pdm lock")
RELOCK_CURRENT = Fix("run `pdm lock` with PDM 2.28 or later and commit pdm.lock", "pdm lock")
OTHER_LOCKS = ("uv.lock", "poetry.lock")


def _hashes(directory: str, manifest: pyproject_model.Pyproject, era: model.Era, algorithm: str) -> str:
    """The digest of the project in `directory` in `era`, its workspace members included."""
    own = model.project_hash(manifest.data, era, algorithm, manifest.path, manifest.text)
    if not (era.workspace and model.is_workspace_root(manifest.data)):
        return own
    members = []
    for member in model.workspace_members(directory, manifest.data):
        member_manifest = pyproject_model.read(join(member, "pyproject.toml"))
        model.check_shape(member_manifest.path, member_manifest.text, member_manifest.data)
        members.append((model.member_path(directory, member), model.project_hash(member_manifest.data, era, algorithm, member_manifest.path, member_manifest.text)))
    return model.workspace_hash(own, members, algorithm)


def _judge_lock(project: ProjectUnit, manifest: pyproject_model.Pyproject) -> Iterator[Finding]:
    pyproject, lock_path = manifest.data, project.path("pdm.lock")
    lock = model.read_lock(lock_path)
    if not model.lock_version_readable(lock.lock_version):
        writer = model.LOCK_VERSIONS.get(lock.lock_version or "", "a PDM this hook does not know" if lock.lock_version else "PDM 0.x")
        said = f"lock_version {lock.lock_version}" if lock.lock_version else "no lock_version"
        yield finding(
            lock_path, lock.version_line if lock.lock_version else 1, RULE.id, "unreadable-lock-version",
            f"has {said} (written by {writer}), which PDM 2 cannot read (\"Lockfile is not compatible with PDM\")", RELOCK_CURRENT,
        )  # fmt: skip
        return
    if lock.has_lock_inputs:
        yield finding(
            lock_path, 1, RULE.id, "not-judged",
            "records lock_inputs ([tool.pdm.resolution] lock_inputs = true), which PDM compares with the resolved packages rather than a hash: "
            "this hook cannot judge it statically", Fix("run `pdm lock --check` where PDM is installed", "pdm lock --check"), fails=False,
        )  # fmt: skip
        return
    if model.lock_inputs_required(pyproject):
        yield finding(lock_path, lock.hash_line, RULE.id, "stale-lock", "records no lock_inputs, which [tool.pdm.resolution] lock_inputs = true requires", RELOCK, joiner="; ")
        return
    if model.converted_by_pdm(pyproject):
        yield finding(
            manifest.path, 1, RULE.id, "not-judged",
            "has no [project] table, so PDM hashes the metadata it converts from [tool.poetry] or [tool.flit]: this hook cannot judge pdm.lock",
            Fix("declare the project in [project] (`pdm import pyproject.toml`) and run `pdm lock`", "pdm import pyproject.toml"), fails=False,
        )  # fmt: skip
        return
    if not lock.digest:
        yield finding(lock_path, lock.hash_line, RULE.id, "stale-lock", "has a content_hash without `<algorithm>:`, which PDM never matches", RELOCK, joiner="; ")
        return
    expected = _hashes(project.directory, manifest, model.CURRENT, lock.algorithm)
    if lock.digest == expected:
        return
    for era in model.ERAS[1:]:
        if lock.digest == _hashes(project.directory, manifest, era, lock.algorithm):
            yield finding(
                lock_path, lock.hash_line, RULE.id, "older-tool-lock",
                f"was written by {era.versions}, which hashed pyproject.toml differently (see `lockguard --explain pdm-lock`): "
                f"it is in sync for those, but the current PDM rejects it", RELOCK_CURRENT,
            )  # fmt: skip
            return
    problem = f"is out of date: its content_hash {lock.digest[:12]}… does not match pyproject.toml's {expected[:12]}…"
    yield finding(lock_path, lock.hash_line, RULE.id, "stale-lock", problem, RELOCK, joiner="; ")


def _judge_project(project: ProjectUnit, as_root: bool = False) -> Iterator[Finding]:
    pyproject_path = project.path("pyproject.toml")
    manifest = pyproject_model.read(pyproject_path)
    model.check_shape(pyproject_path, manifest.text, manifest.data)
    # A workspace member is locked in its root's pdm.lock, whatever lies beside it (as PDM does).
    if not as_root and (root := model.workspace_root_of(project.directory)) is not None:
        yield from _judge_project(ProjectUnit(root), as_root=True)
        return
    if model.lock_format(manifest.data) == "pylock":
        return  # pylock.toml: the pylock rule's
    if project.has("pdm.lock"):
        yield from _judge_lock(project, manifest)
        return
    if model.is_pdm_project(manifest.data) and not any(project.has(name) for name in OTHER_LOCKS):
        yield finding(pyproject_path, 1, RULE.id, "missing-lock", "is a PDM project without pdm.lock, so every install resolves anew", RELOCK)


def judge(project: ProjectUnit, options: SimpleNamespace) -> Iterator[Finding]:
    if not project.has("pyproject.toml"):
        if project.has("pdm.lock"):
            yield finding(project.path("pdm.lock"), 1, RULE.id, "orphan-lock", "has no pyproject.toml beside it, so nothing says what it locks", Fix("restore pyproject.toml, or delete the lock"))
        return
    yield from _judge_project(project)
