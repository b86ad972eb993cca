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

from collections.abc import Iterator
from types import SimpleNamespace

from hooks.catalogue import rule_of_module
from hooks.findings import Finding, Fix, Location, finding
from hooks.models import app_managers
from hooks.models.app_config import App

RULE = rule_of_module(__file__)


def judge(app: App, options: SimpleNamespace) -> Iterator[Finding]:
    if not app.is_python:
        return
    installers = app_managers.installers(app)
    if not installers:
        return  # nothing installs: platform-build-hook says so
    present = app_managers.called_for(app)
    if present is None:
        return
    lock, expected = present
    if expected not in installers:
        used, command = next(iter(installers.items()))
        yield finding(
            command.source, command.line, RULE.id, "two-managers",
            f"app `{app.name}`: the app root has {lock}, but the build installs with {used} (`{command.text}`)",
            Fix(f"install from it with `{app_managers.INSTALL[expected]}`, or delete {lock} if {used} is the manager you keep"),
        )  # fmt: skip
    elif app_managers.stray_requirements(app):
        yield finding(
            app.path("requirements.txt"), 1, RULE.id, "stray-requirements",
            f"no build installs this file: app `{app.name}` installs with {expected} from {lock}, so it is not what the server installs and drifts unseen",
            Fix("delete it, or export it from the lock and check it with requirements-lock-sync"),
            related=(Location(app.path(lock), 1, lock),),
        )  # fmt: skip
