"""Platform.sh and Upsun apps install packages in the build hook only.

After the build, the app's filesystem is read-only (except mounts): an install in a deploy
hook, a start command, a worker or a cron fails, or installs into a place that is gone on the
next container.

## What it checks
For every Python app, no command outside `hooks.build` installs: `pip install`, `pipenv install`
or `sync`, `poetry install`, `uv sync`, `uv add`, `uv pip install`. Commands that only run the
app (`poetry run`, `pipenv run`, `uv run --no-sync`) are fine.

## Why it matters
Deploy hooks and start commands run on the read-only built app: the install fails, and with it
the deployment or the app's start; installing at start also makes every start slower and
different.

## Failing example
```yaml
hooks:
  build: |
    set -eu
  deploy: |
    pip install -r requirements.txt
    python manage.py migrate
```

## Passing example
```yaml
hooks:
  build: |
    set -eu
    pip install -r requirements.txt
  deploy: |
    python manage.py migrate
```

## How to fix
Move the install into `hooks.build`.
"""

from __future__ import annotations

from collections.abc import Iterator
from types import SimpleNamespace

from hooks.catalogue import rule_of_module
from hooks.findings import Finding, Fix, finding
from hooks.models.app_config import App
from hooks.models.installs import is_install

RULE = rule_of_module(__file__)
MOVE_TO_BUILD = Fix("move it to hooks.build")


def judge(app: App, options: SimpleNamespace) -> Iterator[Finding]:
    if not app.is_python:
        return
    for command in app.commands():
        if command.where != "hooks.build" and is_install(command):
            problem = f"app `{app.name}`: `{command.text}` installs in {command.where}, where the app's filesystem is read-only"
            yield finding(command.source, command.line, RULE.id, "install-at-runtime", problem, MOVE_TO_BUILD)
