"""A uv project has a `uv.lock` that `uv lock --check` accepts, judged without uv.

uv.lock records no hash: uv checks it by comparing what the lock says each workspace member
declared with what its pyproject.toml declares now. This hook makes the same comparison,
offline and without the uv binary, and names what differs.

## What it checks
- A project with a `[tool.uv]` table (unless `managed = false`) has a `uv.lock`.
- For the workspace (the root project and every `[tool.uv.workspace]` member), the lock agrees
  with the pyprojects: `requires-python` as a range (`>=3.9` is `>=3.9.0`, `>=3.9.3` is not
  `>=3.9.2`), each member's `version`, whether it is built or virtual, its `dependencies` and
  optional dependencies (extras folded into markers, `[tool.uv.sources]` applied and split per
  marker where a source is a list), `provides-extras`, its dependency groups (`include-group`
  flattened, the legacy `dev-dependencies` as `dev`, a root without `[project]` included),
  `[tool.uv]` `constraint-dependencies`, `override-dependencies`,
  `build-constraint-dependencies`, `resolution`, `prerelease`, `fork-strategy` and
  `exclude-newer`, read from pyproject.toml and a `uv.toml` beside it.
- Compared as uv 0.13.9 compares them (each checked against uv itself in
  `tests/uv_differential_test.py`): markers by meaning, normalised as uv normalises them
  (`platform_system == "Windows"` is `sys_platform == 'win32'`, `python_version > "3.8"` is
  `python_full_version >= '3.9'`, a marker implied by `requires-python` is no marker), however
  many extras they name; a relative `exclude-newer` (`"7 days"`) by its span, an absolute one
  stale only when moved earlier; `name @ git+URL@rev` as uv records it, `file:///${PROJECT_ROOT}`
  expanded to the workspace root; settings uv leaves out of the lock at their default (and
  `prerelease = "if-necessary"`) as unset; a member below another project's pyproject.toml
  without the workspace root's sources; a member's own leftover uv.lock ignored for the root's
  (said once, in a note).
- With the uv release the build pins (the Platform.sh/Upsun app whose root holds the lock, else
  an exact `[tool.uv] required-version`), also what that release reads differently from uv
  0.13.9 (checked against uv 0.8.0 and 0.13.9 on a real-world corpus and edited projects in
  `tests/uv_lock_versions_test.py`): a `[tool.uv]` setting it cannot read (a relative
  `exclude-newer` before uv 0.9.17; `exclude-newer-package` or `extra-build-dependencies`
  before 0.8.4) makes it drop every setting of the file and resolve anew, rejecting a lock
  that records settings; a `required-version` it does not satisfy makes every uv command fail.
  The lock's revision does not matter here: every uv from 0.5 reads every revision
  (`lock-tool-version` judges which one it rewrites). Without a pin, uv 0.13.9's verdict.
- A finding points at the line of the pyproject.toml that differs; one changed requirement is
  one finding.
- What cannot be judged statically is said in a note that does not fail the hook (`--strict`
  makes it fail): dynamic `dependencies`, or a dynamic `version` the lock records (uv leaves a
  dynamic version out, and then there is nothing to say).
- A workspace member pattern that leads outside the repository (`../*`, `/*/*`) is an error
  naming the pattern; lockguard does not glob it.
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

from collections.abc import Iterator
from types import SimpleNamespace

from hooks import reading
from hooks.catalogue import rule_of_module
from hooks.findings import Finding, Fix, Location, finding
from hooks.models import pyproject, tool_versions
from hooks.models import uv as model
from hooks.units import ProjectUnit, join

RULE = rule_of_module(__file__)
RELOCK = Fix("run `uv lock` and commit uv.lock", "uv lock")


def judge(project: ProjectUnit, options: SimpleNamespace) -> Iterator[Finding]:
    """`project` is the directory of the uv.lock that governs the change (a workspace's root)."""
    pyproject_path, lock_path = project.path("pyproject.toml"), project.path("uv.lock")
    if not project.has("pyproject.toml"):
        if project.has("uv.lock"):
            yield finding(lock_path, 1, RULE.id, "orphan-lock", "has no pyproject.toml beside it, so nothing says what it locks", Fix("restore pyproject.toml, or delete the lock"))
        return
    if not project.has("uv.lock"):
        uv = pyproject.read(pyproject_path).tool("uv")
        if uv is not None and uv.get("managed", True) is not False:
            yield finding(pyproject_path, 1, RULE.id, "missing-lock", "has a [tool.uv] table but no uv.lock, so every `uv sync` resolves anew", RELOCK)
        return
    root = model.enclosing_workspace(project.directory)
    if root is not None and reading.is_file(join(root, "uv.lock")):
        # A member's own uv.lock is a leftover: uv locks the whole workspace at its root.
        yield finding(lock_path, 1, RULE.id, "ignored-lock", f"is ignored: uv uses the workspace's lock, {join(root, 'uv.lock')}", Fix("delete this uv.lock"), fails=False)
        pyproject_path, lock_path, directory = join(root, "pyproject.toml"), join(root, "uv.lock"), root
    else:
        directory = project.directory
    comparison = model.compare(directory, lock_path)
    pin = tool_versions.consumer(project.directory, "uv", options.root)
    if pin is not None:
        related = (Location(lock_path, 1, "the lock"), Location(pin.path, pin.line, f"uv {pin.version}"))
        fix = Fix(f"upgrade the pin to a uv that reads the project (uv 0.13.9 does), or change what it cannot read and run `uv lock` with uv {pin.version}", "uv lock")
        for difference in model.pinned_differences(directory, lock_path, pin.version):
            problem = f"{lock_path} is rejected by uv {pin.version}, {pin.where}: {difference.text}"
            yield finding(difference.path, difference.line, RULE.id, "stale-for-pin", problem, fix, joiner="; ", related=related)
    for difference in comparison.differences:
        yield finding(difference.path, difference.line, RULE.id, "stale-lock", f"{lock_path} is out of date: {difference.text}", RELOCK, joiner="; ", related=(Location(lock_path, 1, "the lock"),))
    for unknown in comparison.unknowns:
        yield finding(unknown.path, unknown.line, RULE.id, "not-judged", f"{lock_path} cannot be fully judged without uv: {unknown.text}", fails=bool(options.strict))
