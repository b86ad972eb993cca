"""Platform.sh and Upsun app configs parse, and hold their settings where the platform reads
them.

The platform ignores, or refuses, a setting in the wrong place: a build script written
directly under the app instead of under `hooks:` never runs; a `source.root` that does not
exist fails the deployment; `dependencies.python` installs with Python 2's pip on a Python 3
image; `dependencies`, `build` and `runtime` are ignored next to a composable `stack`.

## What it checks
- Every config parses as the platform reads it (`!include`, `!archive`, anchors, merge keys);
  an alias bomb is refused.
- `build`, `deploy` and `post_deploy` scripts sit under `hooks:`, not directly under the app
  (nor as a `build.commands:` list, which the platform does not know).
- No app name is defined twice (two `.platform.app.yaml`, or a `.platform.app.yaml` and
  `applications.yaml`, or two `.upsun/*.yaml`: the platform keeps one silently).
- `source.root` names a directory that exists; an `applications.yaml` app without
  `source.root` gets a note (the platform's CLI and docs disagree on its default).
- Every app has a `type` (or a composable `stack`).
- `dependencies.python` / `dependencies.python2` on a Python 3 image (use `python3`).
- `dependencies`, `build` or `runtime` next to a composable `stack` (ignored there).
- The config's shape, against the keys the platform documents (`hooks/models/platform_keys.py`,
  with its source and date) directly under the app and under `hooks`, `build`, `web`,
  `web.commands`, `source`, each worker and each cron: a key documented nowhere is unknown
  (with the documented key it is closest to, if one is); a documented key at the wrong level
  is misplaced (`start:` directly under the app belongs under `web.commands:`, `flavor:` under
  `hooks:` belongs under `build:`); a value of the wrong type (`hooks:` a string,
  `disk: '2048'`) is reported. What
  the platform accepts is left alone: anchors and merge keys, `x-`, `_` and dotted custom keys,
  `!include`d values, and settings documented for other runtimes (`runtime:`,
  `build.flavor: composer`).

## Why it matters
Each of these deploys without an error message and without what the config seems to say, or
is refused at push time, after the commit that a pre-commit hook could have stopped.

## Failing example
```yaml
name: app
type: 'python:3.12'
build: |
  pip install -r requirements.txt
```

## Passing example
```yaml
name: app
type: 'python:3.12'
hooks:
  build: |
    set -eu
    pip install -r requirements.txt
```

## How to fix
Move scripts under `hooks:`, rename duplicated apps, fix `source.root`, use
`dependencies.python3`, and move a composable app's packages into `stack`; rename an unknown
key as the finding suggests, move a misplaced one where it says, and write a value of the type
it names.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from types import SimpleNamespace
from typing import Any

from hooks import reading
from hooks.catalogue import rule_of_module
from hooks.findings import Finding, Fix, Location, finding
from hooks.models import platform_keys as keys
from hooks.models import platform_yaml as yaml
from hooks.models.app_config import APPLICATIONS_FORM, MANIFESTS, SKIPPED, App

RULE = rule_of_module(__file__)


def _root_advice(app: App) -> Fix:
    """Propose the folder a Python app's files are in: the repository root when it holds a
    manifest, else the one sub-folder that does (applications.yaml apps share `.platform/`)."""
    found = [name for name in MANIFESTS if reading.is_file(name)]
    folder = "/"
    if not app.is_python:
        return Fix('set `source: {root: "/"}` or the app\'s directory')
    if not found:
        folders = sorted(d for d in reading.list_dir(".") if reading.is_dir(d) and d not in SKIPPED and not d.startswith("."))
        holding = [(d, [n for n in MANIFESTS if reading.is_file(os.path.join(d, n))]) for d in folders]
        holding = [(d, names) for d, names in holding if names]
        if len(holding) != 1:
            return Fix('set `source: {root: "/"}` or the app\'s directory')
        folder, found = holding[0]
    return Fix(f'set `source: {{root: "{folder}"}}`, the folder that holds its {found[0]}')


def _custom(key: Any) -> bool:
    """A key the platform leaves to the user: YAML anchors' holders (`x-…`, `_…`) and dotted
    names; not a string at all (a number, a date) is not a setting either."""
    return not isinstance(key, str) or key.startswith(("x-", "_")) or "." in key


def _a(name: str) -> str:
    return f"an {name}" if name[0] in "aeiou" else f"a {name}"


def _where(path: str) -> str:
    return f"under `{path}:`" if path else "directly under the app"


def _shape(app: App, path: str, block: Any, known: dict[str, tuple[str, ...]]) -> Iterator[Finding]:
    """Unknown, misplaced and wrongly typed keys of the app's `block` (the app itself when
    `path` is empty), against the documented `known` keys there."""
    where = f"app `{app.name}`"
    parent = app.line_of(*path.split(".")) if path else app.line
    for key, value in block.items():
        if _custom(key) or yaml.tag_of(value) is not None:
            continue
        line = yaml.key_line(block, key, parent)
        shown = f"{path}.{key}" if path else key
        if key in known:
            expected = known[key]
            found = keys.type_of(value)
            if expected and found is not None and found not in expected and not (path == "" and key == "build" and found == keys.STRING):
                wanted = " or ".join(map(_a, expected))
                problem = f"{where}: `{shown}:` is {_a(found)}, where the platform expects {wanted}"
                yield finding(app.config, line, RULE.id, "wrong-type", problem, Fix(f"write `{shown}:` as {wanted}"))
            continue
        if (path, key) in (("", "deploy"), ("", "post_deploy"), ("build", "commands")):
            continue  # a misplaced hook: reported as one
        home = keys.HOME.get(key, "" if key in keys.APP else None)
        if home == "web.commands" and path.startswith(("workers.", "crons.")) and path.count(".") == 1:
            home = f"{path}.commands"  # a worker's or cron's own commands
        if home is not None and home != path:
            problem = f"{where}: `{key}:` sits {_where(path)}, where the platform does not read it"
            yield finding(app.config, line, RULE.id, "misplaced-key", problem, Fix(f"move it {_where(home)}"))
            continue
        import difflib  # only on a finding: a hook's start-up stays without it

        close = difflib.get_close_matches(key, list(known), n=1, cutoff=0.75)
        problem = f"{where}: `{shown}:` is not a setting the platform documents {_where(path)}"
        fix = Fix(f"did you mean `{close[0]}:`?") if close else Fix("remove it, or check its name and place in the platform's app reference")
        yield finding(app.config, line, RULE.id, "unknown-key", problem, fix)


def _blocks(app: App, path: str) -> Iterator[tuple[str, Any]]:
    """(path as written, mapping) of each block `path` names; a `*` stands for every entry."""
    found: list[tuple[str, Any]] = [("", app.data)]
    for part in path.split("."):
        step = []
        for where, value in found:
            if not isinstance(value, dict) or yaml.tag_of(value) is not None:
                continue
            names = [name for name in value if isinstance(name, str)] if part == "*" else [part] if part in value else []
            step += [(f"{where}.{name}" if where else name, value[name]) for name in names]
        found = step
    for where, value in found:
        if isinstance(value, dict) and yaml.tag_of(value) is None:
            yield where, value


def _shapes(app: App) -> Iterator[Finding]:
    if not isinstance(app.data, dict):
        return
    yield from _shape(app, "", app.data, keys.APP)
    for path, known in keys.BLOCKS.items():
        for where, block in _blocks(app, path):
            yield from _shape(app, where, block, known)


def judge(app: App, options: SimpleNamespace) -> Iterator[Finding]:
    where = f"app `{app.name}`"
    if app.redefines:
        config, line, earlier, earlier_line = app.redefines
        problem = f"defines app {app.name!r} again (also in {earlier}:{earlier_line}); the platform keeps one of them"
        yield finding(config, line, RULE.id, "duplicate-app", problem, Fix("rename one"), related=(Location(earlier, earlier_line, "the other definition"),))
    for key in ("build", "deploy", "post_deploy"):
        value = app.get(key)
        if isinstance(value, str) or (key != "build" and value is not None):
            problem = f"{where}: `{key}:` sits directly under the app, where the platform does not run it"
            yield finding(app.config, app.line_of(key), RULE.id, "misplaced-hook", problem, Fix("move it under `hooks:`"))
        elif key == "build" and hasattr(value, "get") and "commands" in value:
            problem = f"{where}: `build.commands:` is not a setting the platform knows (`build:` takes only `flavor`), so these commands never run"
            fix = Fix("write them as a script under `hooks:` (`build: |`, one command per line, starting with `set -eu`)")
            yield finding(app.config, app.line_of("build", "commands"), RULE.id, "misplaced-hook", problem, fix)
    if not app.root_exists:
        fix = Fix("point it at the app's directory, relative to the repository root")
        problem = f"{where}: source.root {app.get('source', 'root')!r} does not exist"
        yield finding(app.config, app.line_of("source", "root"), RULE.id, "missing-source-root", problem, fix)
    elif app.get("source", "root") is None and app.form == APPLICATIONS_FORM:
        fix = _root_advice(app)
        yield finding(app.config, app.line, RULE.id, "default-source-root", f"{where} has no `source.root`; the platform's tools disagree on the default", fix, fails=False)
    if not app.type and app.get("stack") is None:
        fix = Fix("add `type: 'python:3.12'` (or the runtime it uses)")
        yield finding(app.config, app.line, RULE.id, "missing-type", f"{where} has no `type` (nor a composable `stack`), which the platform requires", fix)
    dependencies = app.get("dependencies")
    if app.type.startswith("python:3") and hasattr(dependencies, "get"):
        for key in ("python", "python2"):
            if key in dependencies:
                problem = f"{where}: `dependencies.{key}` installs with Python 2's pip, but the image runs Python 3"
                yield finding(app.config, app.line_of("dependencies", key), RULE.id, "python2-dependencies", problem, Fix("rename it `python3`"))
    if app.get("stack") is not None:
        for key in ("dependencies", "build", "runtime"):
            if app.get(key) is not None:
                problem = f"{where}: `{key}` is ignored next to a composable `stack`"
                yield finding(app.config, app.line_of(key), RULE.id, "ignored-beside-stack", problem, Fix("move its packages into `stack`"))
    yield from _shapes(app)
