"""A Python app on Platform.sh or Upsun builds with one exact pip.

Platform.sh's Python guide: the pip on the image changes over time; for repeatable builds, pin
it, with a `PIP_VERSION` variable and `python3.X -m pip install pip==$PIP_VERSION` in the build
hook (its "Specific version" examples) rather than `pip install --upgrade pip` (its "Latest
version" examples).

## What it checks
For every Python app in `.platform.app.yaml`, `.platform/applications.yaml` and `.upsun/*.yaml`
that installs with pip, pipenv or Poetry:
- pip is pinned: `dependencies.python3.pip` names one version, or the build hook runs
  `pip install pip==X.Y.Z` or `pip install pip==$PIP_VERSION` with `PIP_VERSION` set to one
  version under `variables.env`.
- No hook installs pip without a version (`pip install --upgrade pip`, `pip install -U pip`),
  and `dependencies.python3.pip` is not a range or `*`.
- Each finding names the config file and line, the app, and the edit.

## Why it matters
A build that upgrades pip to whatever is newest changes on the day pip releases: resolver,
option or deprecation changes break a build of the same commit that passed yesterday.

## Failing example
```yaml
name: app
type: 'python:3.12'
hooks:
  build: |
    set -eu
    python3.12 -m pip install --upgrade pip
    pip install -r requirements.txt
```

## Passing example
```yaml
name: app
type: 'python:3.12'
variables:
  env:
    PIP_VERSION: '24.3.1'
hooks:
  build: |
    set -eu
    python3.12 -m pip install pip==$PIP_VERSION
    pip install -r requirements.txt
```

## How to fix
Add `PIP_VERSION: 'X.Y.Z'` under `variables.env` (the pip you build with locally:
`pip --version`) and replace the upgrade with `python3.X -m pip install pip==$PIP_VERSION`, or
set `dependencies.python3.pip: 'X.Y.Z'`. A `PIP_VERSION` set as a project or environment variable
in the console overrides the file; this hook sees only the file.
"""

from __future__ import annotations

from collections.abc import Iterator
from types import SimpleNamespace

from hooks.catalogue import rule_of_module
from hooks.findings import Finding, Fix, finding
from hooks.models.app_config import App
from hooks.models.installs import exact_version, installs, upgrades

RULE = rule_of_module(__file__)


def _pin_advice(app: App) -> Fix:
    python = f"python{app.python_version}" if app.python_version else "python3"
    return Fix(f"add `PIP_VERSION: 'X.Y.Z'` under variables.env and run `{python} -m pip install pip==$PIP_VERSION` in the build hook")


def uses_pip(app: App) -> bool:
    """Does the build rely on the image's pip (directly, or through pipenv or Poetry)?"""
    managers = {command.manager for command in app.commands()}
    return bool(managers & {"pip", "pipenv", "poetry"}) or bool(set(app.python_dependencies) & {"pip", "pipenv", "poetry"})


def judge(app: App, options: SimpleNamespace) -> Iterator[Finding]:
    if not app.is_python or not uses_pip(app):
        return
    env = app.env
    pinned = reported = False
    declared = app.python_dependencies.get("pip")
    if declared is not None:
        line = app.line_of("dependencies", "python3", "pip")
        if exact_version(declared, env):
            pinned = True
        else:
            reported = True
            yield finding(app.config, line, RULE.id, "pip-unpinned", f"app `{app.name}`: `dependencies.python3.pip: {declared!r}` allows many pip releases", Fix("set one version, `pip: 'X.Y.Z'`"))
    for command in app.commands("hooks.build"):
        for package, spec in installs(command):
            if package != "pip":
                continue
            reported = True
            if not spec:
                how = "upgrades to" if upgrades(command) else "installs"
                yield finding(
                    command.source, command.line, RULE.id, "pip-upgraded", f"app `{app.name}`: `{command.text}` {how} the newest pip, which changes from one build to the next", _pin_advice(app)
                )
            elif exact_version(spec, env):
                pinned = True
            elif "$" in spec:
                yield finding(
                    command.source, command.line, RULE.id, "pip-version-unset",
                    f"app `{app.name}`: `{command.text}` takes pip's version from a variable that variables.env does not set to one version",
                    Fix("add `PIP_VERSION: 'X.Y.Z'` under variables.env"),
                )  # fmt: skip
            else:
                yield finding(command.source, command.line, RULE.id, "pip-unpinned", f"app `{app.name}`: `{command.text}` allows many pip releases (`{spec}`)", _pin_advice(app))
    if not pinned and not reported:
        yield finding(app.config, app.line, RULE.id, "image-pip", f"app `{app.name}` builds with whatever pip the image carries, which changes when the image is updated", _pin_advice(app))
