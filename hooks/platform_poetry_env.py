"""A Platform.sh or Upsun app that uses Poetry keeps its virtualenv in the app, and finds Poetry
after the build.

Platform.sh's Python guide sets `POETRY_VIRTUALENVS_IN_PROJECT: true` and
`POETRY_VIRTUALENVS_CREATE: true` under `variables.env`, so that `poetry install` in the build
hook creates `/app/.venv`, which is deployed with the app and used by `poetry run` at runtime. It
also puts Poetry on `PATH` in `.environment` when Poetry lives in `/app/.local/bin`.

## What it checks
For every app that runs Poetry (in a hook, a start command, a worker or a cron) or installs it:
- `variables.env` sets `POETRY_VIRTUALENVS_IN_PROJECT` and `POETRY_VIRTUALENVS_CREATE` to true
  (YAML `true` or the string `"true"`), and no hook undoes them
  (`poetry config virtualenvs.create false`).
- When Poetry is installed into `/app/.local/bin` (its official installer, `pip install --user`)
  and used after the build (deploy and post_deploy hooks, `web.commands.start`, workers, crons),
  the app root's `.environment` puts `/app/.local/bin` on `PATH`, and not only behind a test of a
  variable the config never sets (the guide's own snippet tests `$POETRY_VERSION`).

## Why it matters
Without the variables, Poetry creates its virtualenv outside the app (lost after the build) or
installs into the system site, and `poetry run` at runtime finds another environment or none.
Without `PATH`, deploy hooks and the start command fail with `poetry: not found`.

## Failing example
```yaml
type: 'python:3.12'
dependencies:
  python3:
    poetry: '2.1.3'
hooks:
  build: |
    set -eu
    poetry install
```

## Passing example
```yaml
type: 'python:3.12'
dependencies:
  python3:
    poetry: '2.1.3'
variables:
  env:
    POETRY_VIRTUALENVS_IN_PROJECT: true
    POETRY_VIRTUALENVS_CREATE: true
hooks:
  build: |
    set -eu
    poetry install
```

## How to fix
`--fix` adds the missing variables under `variables.env` (creating `variables:` and `env:` if
needed), keeping the rest of the file as it is: its encoding, line ends, mode, owner, symlink.
Where that edit would not be safe it writes nothing and says why (`fix-refused`): `variables`
shared with another app through a YAML anchor or brought by a `<<:` merge key, a read-only or
hard-linked file, a symlink leading out of the repository.

Remove `poetry config virtualenvs.create false` from the hooks, and add
`export PATH="/app/.local/bin:$PATH"` to `.environment`.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Iterator
from types import SimpleNamespace
from typing import Any

from hooks import reading
from hooks.catalogue import rule_of_module
from hooks.findings import Finding, Fix, InputError, finding
from hooks.models import platform_yaml as yaml
from hooks.models.app_config import APP_FILE_FORM, APPLICATIONS_FORM, UPSUN_FORM, App
from hooks.models.installs import LOCAL_BIN, installs, poetry_installer

RULE = rule_of_module(__file__)
VARIABLES = ("POETRY_VIRTUALENVS_IN_PROJECT", "POETRY_VIRTUALENVS_CREATE")
TRUE = ("true", "1")
# As text: `re` compiles it only for an app whose runtime commands need Poetry on PATH.
PATH_ENTRY = r"(/app|\$\{?HOME\}?|\$\{?PLATFORM_APP_DIR\}?|~)/\.local/bin"


def uses_poetry(app: App) -> bool:
    return "poetry" in app.python_dependencies or any(c.manager == "poetry" or poetry_installer(c) for c in app.commands())


def _poetry_in_local_bin(app: App) -> bool:
    """Poetry's official installer and `pip install --user poetry` put it in ~/.local/bin
    (`/app/.local/bin`, as HOME is /app); `dependencies` puts it on PATH by itself, and the
    deprecated get-poetry.py used ~/.poetry/bin."""
    for command in app.commands():
        if poetry_installer(command) == LOCAL_BIN:
            return True
        if any(package == "poetry" for package, _ in installs(command)) and "--user" in command.words:
            return True
    return False


def _path_problem(app: App) -> str | None:
    """Why `.environment` does not put /app/.local/bin on PATH for runtime commands, or None."""
    path = app.path(".environment")
    if not reading.is_file(path):
        return "there is no .environment at the app root"
    guard_variable = None
    depth = 0
    guarded_by: list[str | None] = []
    for line in reading.read_text(path).split("\n"):
        stripped = line.split("#", 1)[0].strip()
        opening = re.match(r"^if\s+\[\s+-n\s+\"?\$\{?(\w+)\}?\"?\s+\]", stripped)
        if stripped.startswith("if "):
            guarded_by.append(opening[1] if opening else None)
            depth += 1
        elif stripped == "fi" or stripped.startswith("fi "):
            if guarded_by:
                guarded_by.pop()
            depth = max(depth - 1, 0)
        if re.search(r"\bPATH=", stripped) and re.search(PATH_ENTRY, stripped):
            if not guarded_by:
                return None
            guard_variable = guarded_by[-1]
            if guard_variable is None or guard_variable in app.env:
                return None
    if guard_variable:
        return f".environment adds it to PATH only if ${guard_variable} is set, and variables.env does not set {guard_variable}"
    return ".environment does not add /app/.local/bin to PATH"


def judge(app: App, options: SimpleNamespace) -> Iterator[Finding]:
    if not uses_poetry(app):
        return
    env = app.env
    missing = [name for name in VARIABLES if name not in env]
    for name in VARIABLES:
        if name in env and env[name].lower() not in TRUE:
            problem = f"app `{app.name}`: `{name}: {env[name]}` keeps Poetry's virtualenv out of the app"
            yield finding(app.config, app.line_of("variables", "env", name), RULE.id, "poetry-env-outside-app", problem, Fix(f"set `{name}: true` under variables.env"))
    if missing:
        yield _missing(app, missing, getattr(options, "fix", False))
    for command in app.commands():
        if command.manager == "poetry" and command.arguments[:1] == ("config",) and "virtualenvs.create" in command.arguments and any(a.lower() in ("false", "0") for a in command.arguments):
            problem = f"app `{app.name}`: `{command.text}` contradicts POETRY_VIRTUALENVS_CREATE"
            yield finding(command.source, command.line, RULE.id, "poetry-env-disabled", problem, Fix("remove it, so that the build creates the app's `.venv`"))
    runtime = [c for c in app.commands() if c.where != "hooks.build" and c.manager == "poetry"]
    if runtime and _poetry_in_local_bin(app):
        missing_path = _path_problem(app)
        if missing_path:
            first = runtime[0]
            yield finding(
                first.source, first.line, RULE.id, "poetry-not-on-path",
                f"app `{app.name}` runs `{first.text}` after the build, but Poetry is in /app/.local/bin and {missing_path}",
                Fix(f"add `export PATH=\"/app/.local/bin:$PATH\"` to {app.path('.environment')}"),
            )  # fmt: skip


def _missing(app: App, missing: list[str], fix: bool) -> Finding:
    """The finding for variables the app does not set: added (with `fix`), refused, or to add."""
    added = ", ".join(f"`{name}: true`" for name in missing)
    problem = f"app `{app.name}` runs Poetry without {added} under variables.env, so its virtualenv is not the app's `.venv`"
    line = app.line_of("variables", "env") if "variables" in (app.data or {}) else app.line
    if fix:
        from hooks import writing  # atomic writes (tempfile, difflib): for --fix only

        try:
            if add_variables(app, missing):
                return finding(app.config, line, RULE.id, "poetry-env-outside-app", f"{problem}: added them (--fix)")
        except writing.Refused as refusal:
            by_hand = Fix(f"add them by hand to the variables.env of app `{app.name}` alone")
            return finding(app.config, line, RULE.id, "fix-refused", f"{problem}; --fix wrote nothing: {refusal}", by_hand)
    to_add = Fix(f"add {added} under variables.env (or run this hook with --fix)", f"{RULE.id} --fix {shlex.quote(app.config)}")
    return finding(app.config, line, RULE.id, "poetry-env-outside-app", problem, to_add)


# -- --fix: add the variables without rewriting the rest of the file -----------------------------


def _app_path(app: App, document: Any) -> list[Any]:
    """The keys (and list indices) that lead to the app's mapping in a fresh load of
    `app.config`, matched as `app_config` named the app (`str` of its key: `1:` is app `1`)."""
    from hooks import writing

    if app.form == APP_FILE_FORM or "config" in app.sources:
        return []  # an app file, or the file an `!include` brought the app from
    paths: list[list[Any]]
    if app.form == APPLICATIONS_FORM and isinstance(document, list):
        paths = [[i] for i, item in enumerate(document) if isinstance(item, dict) and str(item.get("name", f"app{i}")) == app.name]
    else:
        prefix = ["applications"] if app.form == UPSUN_FORM else []
        apps = document.get(prefix[0]) if prefix and isinstance(document, dict) else document
        paths = [[*prefix, key] for key in apps if str(key) == app.name] if isinstance(apps, dict) else []
    if len(paths) != 1:
        raise writing.Refused(f"{app.config} does not hold exactly one mapping for app `{app.name}`")
    return paths[0]


def _references(document: Any) -> dict[int, int]:
    """How many places refer to each mapping and list of `document` (by `id`): more than one
    is an anchor that an alias or a `<<:` merge key uses elsewhere."""
    counts: dict[int, int] = {}
    stack = [document]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            children = [value for _, value in _own_items(node)]
            children += [item[1] if isinstance(item, tuple) else item for item in getattr(node, "merge", ())]
        else:
            children = list(node) if isinstance(node, list) else []
        for child in children:
            if isinstance(child, (dict, list)):
                counts[id(child)] = counts.get(id(child), 0) + 1
                if counts[id(child)] == 1:
                    stack.append(child)
    return counts


def _own_items(mapping: Any) -> Any:
    """The mapping's own items, without those a `<<:` merge key brings."""
    return mapping.non_merged_items() if hasattr(mapping, "non_merged_items") else mapping.items()


def _refuse_shared(app: App, document: Any, mapping: Any) -> None:
    """`Refused` when the edit would land in text other places use too: the app's mapping, its
    `variables` or its `variables.env` shared through an anchor, or brought by a merge key."""
    from hooks import writing

    references = _references(document)
    node, dotted = mapping, ""
    for key in ("variables", "env", None):
        if references.get(id(node), 0) > 1:
            line = getattr(getattr(node, "lc", None), "line", None)
            where = f" (line {line + 1})" if isinstance(line, int) else ""
            place = f"`{dotted}` of app `{app.name}`" if dotted else f"app `{app.name}`"
            raise writing.Refused(f"{place} is shared through a YAML anchor{where}, so editing it would change every place that uses the anchor")
        if key is None or not hasattr(node, "get") or key not in node:
            return
        dotted = f"{dotted}.{key}" if dotted else key
        if not any(own == key for own, _ in _own_items(node)):
            raise writing.Refused(f"`{dotted}` of app `{app.name}` comes from a `<<:` merge key, so editing it would change the merged mapping and all that merge it")
        node = node[key]


def _indent_of(mapping: Any) -> int | None:
    keys = list(mapping)
    try:
        return int(mapping.lc.key(keys[0])[1]) if keys else None
    except (AttributeError, KeyError, TypeError):
        return None


def _end_line(text_lines: list[str], start: int, indent: int) -> int:
    """The index after the last line of the block starting at `start` whose lines are indented
    more than `indent` (blank and comment lines inside it included)."""
    end = start + 1
    last = start
    while end < len(text_lines):
        line = text_lines[end]
        if line.strip() and not line.lstrip().startswith("#"):
            if len(line) - len(line.lstrip()) <= indent:
                break
            last = end
        end += 1
    return last + 1


def _insertion(mapping: Any, text: str, names: list[str]) -> str | None:
    """`text` with the variables added to `mapping` (the app's, loaded from `text`), or None when
    the layout is not one this edit handles (flow-style mappings, tabs): the finding then says
    what to add by hand."""
    if not hasattr(mapping, "lc") or mapping.fa.flow_style():
        return None
    lines = text.split("\n")
    variables = mapping.get("variables")
    entries = [f"{name}: true" for name in names]
    if hasattr(variables, "lc") and hasattr(variables.get("env"), "lc") and variables["env"]:
        env = variables["env"]
        if env.fa.flow_style():
            return None
        indent = _indent_of(env)
        if indent is None:
            return None
        key_line = mapping["variables"].lc.key("env")[0]
        at = _end_line(lines, key_line, (_indent_of(variables) or 0))
        new = [" " * indent + entry for entry in entries]
    elif hasattr(variables, "lc") and variables:
        if variables.fa.flow_style():
            return None
        indent = _indent_of(variables)
        if indent is None:
            return None
        at = mapping.lc.key("variables")[0] + 1
        new = [" " * indent + "env:"] + [" " * (indent + 2) + entry for entry in entries]
    elif variables is None and "variables" not in mapping:
        indent = _indent_of(mapping)
        if indent is None:
            return None
        first_key = next(iter(mapping))
        at = _end_line(lines, mapping.lc.key(first_key)[0], indent)
        new = [" " * indent + "variables:", " " * (indent + 2) + "env:"] + [" " * (indent + 4) + entry for entry in entries]
    else:
        return None
    return "\n".join(lines[:at] + new + lines[at:])


def add_variables(app: App, names: list[str]) -> bool:
    """Add `NAME: true` under the app's variables.env, atomically; True when written, False when
    the layout is not one the edit handles, `writing.Refused` when the edit would not be safe.
    The whole edited document must load and equal the old one plus the new variables."""
    from hooks import writing

    text = reading.read_text(app.config)
    document = yaml.parse_round_trip(app.config, text)
    path = _app_path(app, document)
    mapping = document
    for step in path:
        mapping = mapping[step]
    _refuse_shared(app, document, mapping)
    edited = _insertion(mapping, text, names)
    if edited is None:
        return False
    try:
        after = _plain(yaml.parse_round_trip(app.config, edited))
    except InputError:
        raise writing.Refused(f"the edited {app.config} would not be valid YAML") from None
    expected = _plain(document)
    settings = expected
    for step in path:
        settings = settings[step if isinstance(settings, list) else str(step)]
    settings["variables"] = dict(settings.get("variables") or {})
    settings["variables"]["env"] = {**(settings["variables"].get("env") or {}), **{name: True for name in names}}
    if after != expected:
        raise writing.Refused(f"the edit would change more of {app.config} than the variables.env of app `{app.name}`")
    writing.write_atomic(app.config, edited)
    return True


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value
