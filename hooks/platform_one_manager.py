"""A Platform.sh or Upsun app's locks and build hook agree on one package manager.

When an app root holds the files of several managers, the build installs from one of them
and the others silently drift. Platform's tooling picks poetry.lock first, then Pipfile.lock,
then requirements.txt; this rule holds the build hook to the same choice, and ranks uv.lock,
pdm.lock and pylock.toml (PEP 751) between Pipfile.lock and requirements.txt.

## What it checks
For every Python app with a build hook that installs:
- The manager the app root's locks call for (poetry.lock > Pipfile.lock > uv.lock > pdm.lock >
  pylock.toml > requirements.txt) is the one the build hook installs with: `Pipfile.lock` present but
  `pip install -r requirements.txt` is a finding.
- A requirements.txt beside a lock of another manager that the build does not install from
  is a finding: it drifts unseen (export it from the lock and check it with
  `requirements-lock-sync`, or delete it).

## Why it matters
Two sources of truth for the same dependencies drift: the one the server installs is not the
one the team updates and tests.

## Failing example
```yaml
# app root holds Pipfile, Pipfile.lock and requirements.txt
hooks:
  build: |
    set -eu
    pip install -r requirements.txt
```

## Passing example
```yaml
hooks:
  build: |
    set -eu
    pipenv install --deploy
```

## How to fix
Install with the manager whose lock you maintain, and delete (or export from the lock) the
other manager's files.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from types import SimpleNamespace

from hooks.catalogue import rule_of_module
from hooks.findings import Finding, Fix, Location, finding
from hooks.models.app_config import App
from hooks.models.shell import Command

RULE = rule_of_module(__file__)
PRECEDENCE = (("poetry.lock", "poetry"), ("Pipfile.lock", "pipenv"), ("uv.lock", "uv"), ("pdm.lock", "pdm"), ("pylock.toml", "pylock"), ("requirements.txt", "pip"))
INSTALL = {
    "poetry": "poetry install", "pipenv": "pipenv install --deploy", "uv": "uv sync --locked", "pdm": "pdm sync",
    "pylock": "pip install -r pylock.toml", "pip": "pip install -r requirements.txt",
}  # fmt: skip
PYLOCK = re.compile(r"(^|/)pylock(\.[^/]+)?\.toml$")


def _installed_files(args: tuple[str, ...]) -> list[str] | None:
    """The files `pip install`, `uv pip install` or `uv pip sync` (the arguments after the
    subcommand) installs from, or None when it is none of those."""
    if args[:1] == ("sync",):
        return [a for a in args[1:] if not a.startswith("-")]
    if args[:1] != ("install",):
        return None
    return [value for option, value in zip(args, args[1:]) if option in ("-r", "--requirement")] + [
        a.split("=", 1)[1] if a.startswith("--") else a[2:] for a in args if a.startswith(("--requirement=", "-r")) and a != "-r"
    ]


def _installers(app: App) -> dict[str, Command]:
    found: dict[str, Command] = {}
    for command in app.commands("hooks.build"):
        inner = command.unwrapped()
        manager, args = inner.manager, inner.arguments
        files = _installed_files(args) if manager == "pip" else _installed_files(args[1:]) if manager == "uv" and args[:1] == ("pip",) else None
        if files:
            found.setdefault("pylock" if any(PYLOCK.search(f) for f in files) else "pip", command)
        elif (manager == "pipenv" and args[:1] in (("install",), ("sync",))) or (manager in ("poetry", "pdm") and args[:1] in (("install",), ("sync",))) or (manager == "uv" and args[:1] == ("sync",)):
            found.setdefault(manager, command)
    return found


def judge(app: App, options: SimpleNamespace) -> Iterator[Finding]:
    if not app.is_python:
        return
    installers = _installers(app)
    if not installers:
        return  # nothing installs: platform-build-hook says so
    present = [(name, manager) for name, manager in PRECEDENCE if app.has(name)]
    if not present:
        return
    lock, expected = present[0]
    if expected not in installers:
        used, command = next(iter(installers.items()))
        yield finding(
            command.source, command.line, RULE.id, "two-managers",
            f"app `{app.name}`: the app root has {lock}, but the build installs with {used} (`{command.text}`)",
            Fix(f"install from it with `{INSTALL[expected]}`, or delete {lock} if {used} is the manager you keep"),
        )  # fmt: skip
    elif expected != "pip" and app.has("requirements.txt") and app.path("requirements.txt") not in app.installed_requirements():
        yield finding(
            app.path("requirements.txt"), 1, RULE.id, "stray-requirements",
            f"no build installs this file: app `{app.name}` installs with {expected} from {lock}, so it is not what the server installs and drifts unseen",
            Fix("delete it, or export it from the lock and check it with requirements-lock-sync"),
            related=(Location(app.path(lock), 1, lock),),
        )  # fmt: skip
