"""pipenv, Poetry, uv and PDM are pinned to one exact version wherever a Platform.sh or Upsun app
installs them, and whatever the build uses is installed; so is every package of `dependencies`.

Platform.sh's Python guide pins pipenv in `dependencies.python3` (`pipenv: '2022.12.19'`) and
Poetry the same way; its `'*'` and `'>=1.8'` variants install whatever is newest on the day of
the build, and Poetry 2.0 removed options (`--no-dev`) that older build hooks use.

## What it checks
For every Python app:
- `dependencies.python3.pipenv`, `.poetry`, `.uv` and `.pdm` name one version (`'2024.4.1'` or
  `'==2024.4.1'`); `'*'`, `'>=1.8'` and other ranges are findings. So is every other package
  there or under `dependencies.python` (`gunicorn: '*'`, `uvicorn: "*"`); pip is
  platform-pip-pinned's.
- A tool declared under Python 2's key (`dependencies.python.pipenv`) on a Python 3 image is
  declared under the wrong key; the fix carries its version over to `python3`.
- A hook that installs one of them names the version: `pip install poetry==1.8.5`,
  `pip install pipenv==$PIPENV_TOOL_VERSION` with the variable set to one version under
  `variables.env`, Poetry's installer with `--version X` (or `POETRY_VERSION` set), uv's
  installer from a versioned URL (`…/uv/0.7.8/install.sh`). A Miniconda or Miniforge installer
  named `…-latest-…` is a finding too.
- An installer fetched from a branch of a GitHub repository (Poetry's `install-poetry.py` or
  `get-poetry.py` from `master`) is a finding whatever version it is asked for: the branch
  moves, and Poetry removed both files from it in 2023, so that build now fails.
- A manager the hooks or start commands run (`pipenv`, `poetry`, `uv`, `pdm`) that nothing installs
  (neither `dependencies` nor a hook nor the composable stack) is a finding.

## Why it matters
An unpinned package manager changes under the app: a new major release fails the build (Poetry
2 removed `--no-dev` and `poetry export`), or resolves and installs differently from the last
deployment of the same commit.

## Failing example
```yaml
type: 'python:3.12'
dependencies:
  python3:
    poetry: '>=1.8'
```

## Passing example
```yaml
type: 'python:3.12'
dependencies:
  python3:
    poetry: '2.1.3'
```

## How to fix
Write the exact version you use locally (`poetry --version`, `pipenv --version`,
`uv --version`) in `dependencies.python3`, in the hook's `pip install tool==X.Y.Z`, or in the
installer's version option.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from types import SimpleNamespace

from hooks.catalogue import rule_of_module
from hooks.findings import Finding, Fix, finding
from hooks.models.app_config import App
from hooks.models.installs import (
    exact_version,
    installs,
    moving_ref,
    poetry_installer,
    uv_installer,
)
from hooks.models.shell import Command

RULE = rule_of_module(__file__)
TOOLS = ("pipenv", "poetry", "uv", "pdm")
CONDA_LATEST = re.compile(r"(Miniconda|Miniforge|Mambaforge|Anaconda)[0-9]*-latest-", re.IGNORECASE)


def _in_stack(app: App, tool: str) -> bool:
    stack = app.get("stack")
    packages = stack.get("packages", []) if hasattr(stack, "get") else stack
    names = [p.get("package") if hasattr(p, "get") else p for p in packages] if isinstance(packages, list) else []
    return any(isinstance(n, str) and re.search(rf"(^|\.){tool}$", n) for n in names)


def _poetry_installer_pinned(commands: list[Command], env: dict[str, str]) -> bool:
    """Poetry's installer takes `--version X` or the `POETRY_VERSION` variable. A variable the
    script itself assigns (from a versions file, say) counts as pinned: it is written down."""
    assigned = {word.split("=", 1)[0] for command in commands for word in command.words if re.match(r"^[A-Za-z_]\w*=", word)}
    if "POETRY_VERSION" in assigned or exact_version(env.get("POETRY_VERSION"), env):
        return True
    for command in commands:
        words = list(command.words)
        for option, value in zip(words, words[1:]):
            if option == "--version":
                variable = re.fullmatch(r"\$\{?(\w+)\}?", value)
                if exact_version(value, env) or (variable and variable[1] in assigned):
                    return True
    return False


def judge(app: App, options: SimpleNamespace) -> Iterator[Finding]:
    if not app.is_python:
        return
    env = app.env
    installed: set[str] = {tool for tool in TOOLS if _in_stack(app, tool)}
    for key, package, value in app.pip_dependencies():
        at = (app.config, app.line_of("dependencies", key, package), RULE.id)
        declared = f"`dependencies.{key}.{package}: {value!r}`"
        version = exact_version(value, env)
        if package in TOOLS and key != app.pip_key:
            installed.add(package)  # declared, only under the wrong key: say so, not "nothing installs it"
            fix = Fix(f"move it under dependencies.{app.pip_key}: `{package}: '{version or 'X.Y.Z'}'`")
            yield finding(*at, "tool-wrong-key", f"app `{app.name}`: {declared} is declared under Python 2's key, so the Python 3 build does not get this {package}", fix)
        elif package in TOOLS:
            installed.add(package)
            if not version:
                fix = Fix(f"pin one, `{package}: 'X.Y.Z'` (your `{package} --version`)")
                yield finding(*at, "tool-unpinned", f"app `{app.name}`: {declared} installs whatever {package} release is newest", fix)
        elif package != "pip" and not version:  # pip: platform-pip-pinned
            fix = Fix(f"pin one, `{package}: 'X.Y.Z'` (the version you run: `pip show {package}`)")
            yield finding(*at, "dependency-unpinned", f"app `{app.name}`: {declared} installs whatever {package} release is newest on the day of the build", fix)
    commands = app.commands()
    for command in commands:
        for package, spec in installs(command):
            if package in TOOLS:
                installed.add(package)
                if not (spec.startswith("==") and exact_version(spec, env)):
                    fix = Fix(f"write `{package}==X.Y.Z`" + (" and set the variable to one version under variables.env" if "$" in spec else ""))
                    yield finding(command.source, command.line, RULE.id, "tool-unpinned", f"app `{app.name}`: `{command.text}` installs {package} without one exact version", fix)
        text = command.text
        if poetry_installer(command):
            installed.add("poetry")
            branch = moving_ref(command)
            if branch:
                fix = Fix("use the official installer with a version: `curl -sSL https://install.python-poetry.org | python3 - --version X.Y.Z`")
                yield finding(
                    command.source,
                    command.line,
                    RULE.id,
                    "installer-moving",
                    f"app `{app.name}`: Poetry's installer comes from the `{branch}` branch, which changes under the build and no longer holds it",
                    fix,
                )
            elif not _poetry_installer_pinned(commands, env):
                fix = Fix("pass `--version X.Y.Z` to the installer (or set `POETRY_VERSION: 'X.Y.Z'` under variables.env)")
                yield finding(command.source, command.line, RULE.id, "installer-unpinned", f"app `{app.name}`: Poetry's installer without a version installs the newest Poetry", fix)
        fetches_uv, uv_version = uv_installer(command)
        if fetches_uv:
            installed.add("uv")
            if not uv_version:
                yield finding(
                    command.source, command.line, RULE.id, "installer-unpinned", f"app `{app.name}`: uv's installer from an unversioned URL installs the newest uv", Fix("use `…/uv/X.Y.Z/install.sh`")
                )
        if CONDA_LATEST.search(text):
            fix = Fix("download a versioned installer (`Miniforge3-X.Y.Z-N-Linux-x86_64.sh`)")
            yield finding(command.source, command.line, RULE.id, "installer-unpinned", f"app `{app.name}`: a `-latest-` conda installer changes with every release", fix)
    reported: set[str] = set()
    for command in commands:
        manager = command.manager
        if manager is not None and manager in TOOLS and manager not in installed and manager not in reported:
            reported.add(manager)
            fix = Fix(f"add `{manager}: 'X.Y.Z'` under dependencies.python3")
            yield finding(
                command.source, command.line, RULE.id, "tool-not-installed", f"app `{app.name}` runs `{manager}`, but nothing installs it, so the build uses whatever the image has, if any", fix
            )
