"""A Platform.sh or Upsun build hook fails fast and installs from the lock.

Platform.sh's Python guide starts every build hook with `set -eu`, installs requirements with
`pip install -r requirements.txt`, Pipfile.lock with `pipenv install --deploy`, and runs
`poetry install` from a committed `poetry.lock`. Hooks run under dash and, without `set -e`,
fail only when their last command fails; and Python's build flavor installs nothing by itself.

## What it checks
For every Python app:
- The build hook turns on `set -e` (`set -e`, `set -eu`, `set -o errexit`) before its first
  install command. The repository's scripts the hook runs (`./build.sh`,
  `$PLATFORM_APP_DIR/build.sh`, `/app/build.sh`, `bash x`, `sh x`, `. x`, `source x`) are read
  too: a `set -e` inside one counts for the commands after it there, and reaches the hook when
  the script is sourced, or when its failure fails the hook (the hook has `set -e`, or the
  script is its last command).
- `pip install -r FILE` names a file that exists (relative to where the hook `cd`s).
- `pipenv install` runs with `--deploy` (or is `pipenv sync`) and a `Pipfile.lock` exists;
  `--skip-lock` is a finding.
- `poetry install` has a `poetry.lock` beside the pyproject; `poetry lock`, `poetry update` and
  `poetry add` do not run during the build.
- `uv sync` runs with `--locked` or `--frozen` and a `uv.lock` exists; `uv lock`, `uv add` and
  `uv init` do not run during the build.
- `pdm install` runs with `--frozen-lockfile` or `--check` (or is `pdm sync`) and a `pdm.lock`
  exists; `pdm lock`, `pdm add`, `pdm update` and `pdm remove` do not run during the build.
- `pip install -r pylock.toml`, `uv pip install -r pylock.toml` and `uv pip sync pylock.toml`
  install from a lock (PEP 751).
- Packages installed by name (`pip install mindsdb`) without `==` are findings: they belong in a
  pinned requirements file or a lock.
- An app whose root holds manifests (requirements.txt, Pipfile, pyproject.toml with a lock,
  pylock.toml) but
  whose build hook installs nothing is a finding.
- Every hook (build, deploy, post_deploy), and every repository script a hook runs under dash
  (`sh x`, `. x`, `./x.sh` without a `#!` naming another shell), parses as POSIX shell the way
  `dash -n` parses it: unclosed quotes, `$(`, `` ` ``, `${` or `$((`, `if` without `fi`, loops
  without `done`, `case` without `esac`, an empty `{ }`, an operator with nothing after it, a
  reserved word out of place, bash's `a=(…)`, `<(…)`, `|&` and `<<<`. One finding per script,
  at the line dash reports. Scripts run by bash (`bash x`, `#!/bin/bash`) are not judged, nor
  is a bad substitution (`${a b}`), which dash refuses only when it runs.
- With `set -e` on, an install whose failure it cannot see: followed by `|| true`, `|| :`,
  `|| echo …`; piped into another command (`pip install … | tee log`: dash has no
  `set -o pipefail`); the condition of an `if` or `while` whose branches never `exit`; after
  `!`; not the last command of an `&&` list (unless that list ends the script, whose status is
  then the install's); run in the background with nothing that `wait`s. `|| exit 1`, an `until`
  that retries and a subshell (`(cd x && pip install …)`, whose failure fails the hook) are fine.
- `pipenv install --system` (or `pipenv sync --system`) in the build, then `pipenv run` in a
  start command, worker, cron or deploy hook: `--system` installs into the image's Python and
  makes no virtualenv, which `pipenv run` then looks for at run time.

## Why it matters
Without `set -e` a failed install goes unnoticed and the app deploys without its packages. A
build that re-locks or ignores the lock installs releases nobody tested. A hook dash cannot
parse fails on every push, at the line of the error.

## Failing example
```yaml
type: 'python:3.12'
hooks:
  build: |
    pipenv install
    python manage.py collectstatic
```

## Passing example
```yaml
type: 'python:3.12'
hooks:
  build: |
    set -eu
    pipenv install --deploy
    python manage.py collectstatic
```

## How to fix
Start the build hook with `set -eu` and leave installs bare (no `|| true`, no pipe: write a
log with `> install.log`); install with `pip install -r requirements.txt`,
`pipenv install --deploy`, `poetry install` (with `poetry.lock` committed),
`uv sync --locked`, `pdm sync` or `pip install -r pylock.toml`; lock on your machine, never during the build.
After `pipenv install --system`, run commands directly, not through `pipenv run`.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from types import SimpleNamespace

from hooks import reading
from hooks.catalogue import rule_of_module
from hooks.findings import Finding, Fix, InputError, finding
from hooks.models.app_config import App
from hooks.models.installs import installs, is_install
from hooks.models.shell import INTERPRETERS, Command
from hooks.models.shell_syntax import AND_LIST, BACKGROUND, CONDITION, NEGATED, OR_LIST, PIPELINE, Simple, simple_commands, syntax_error

RULE = rule_of_module(__file__)
PIPENV_LOCK = Fix("run `pipenv lock` and commit Pipfile.lock", "pipenv lock")
INSTALLS_FROM = {"requirements.txt", "Pipfile", "pyproject.toml", "pylock.toml", "environment.yml", "environment.yaml"}


def _errexit(command: Command) -> bool | None:
    """True when the command turns `set -e` on, False when it turns it off, else None."""
    words = command.words
    if not words or words[0] != "set":
        return None
    if any(re.match(r"^-[a-zA-Z]*e", word) for word in words[1:]) or ("-o" in words and "errexit" in words):
        return True
    if any(re.match(r"^\+[a-zA-Z]*e", word) for word in words[1:]) or ("+o" in words and "errexit" in words):
        return False
    return None


def _shell(command: Command) -> Command | None:
    """The command whose shell runs `command`: the one that ran its script in a new shell
    (`sh x.sh`, `./x.sh`), None for the hook's own shell; `. x` runs in the caller's."""
    via = command.via
    while via is not None and via.sourced:
        via = via.via
    return via


def unguarded(build: list[Command]) -> Iterator[Command]:
    """The build commands whose failure does not fail the build: no `set -e` is on in their
    shell, or the script holding them runs in a shell whose failure is itself ignored (a
    script's `set -e` ends that script; the hook goes on unless it has `set -e` or the script
    is its last command)."""
    on: dict[int, bool] = {}  # id(shell command) (0 for the hook) -> is `set -e` on there
    guarded: dict[int, bool] = {}  # id(command) -> does its failure fail its own shell
    last: dict[int, int] = {}  # id(shell command) -> id of the last command run in that shell
    for command in build:
        shell = id(_shell(command)) if _shell(command) is not None else 0
        if _errexit(command) is not None:
            on[shell] = bool(_errexit(command))
        guarded[id(command)] = on.get(shell, False)
        last[shell] = id(command)
    for command in build:
        caller = _shell(command)
        fails_build = guarded[id(command)]
        while fails_build and caller is not None:
            outer = id(_shell(caller)) if _shell(caller) is not None else 0
            fails_build = guarded[id(caller)] or last[outer] == id(caller)
            caller = _shell(caller)
        if not fails_build:
            yield command


def _option_value(args: tuple[str, ...], names: tuple[str, ...]) -> list[str]:
    values = []
    for index, arg in enumerate(args):
        for name in names:
            if arg == name and index + 1 < len(args):
                values.append(args[index + 1])
            elif arg.startswith(name + "=") and name.startswith("--"):
                values.append(arg.split("=", 1)[1])
            elif not name.startswith("--") and arg.startswith(name) and len(arg) > len(name):
                values.append(arg[len(name) :])
    return values


def judge(app: App, options: SimpleNamespace) -> Iterator[Finding]:
    if not app.is_python:
        return
    build = app.commands("hooks.build")
    where = f"app `{app.name}`"
    install_commands = [command for command in build if is_install(command)]
    first = next((c for c in unguarded(build) if is_install(c)), None)
    if first is not None:
        script = _shell(first)
        if script is None or first.via is None:
            problem, advice = "the build hook installs before any `set -e`", "start the build hook with `set -eu`"
        elif not any(_errexit(c) for c in build if _shell(c) is script):
            problem, advice = f"{first.source}, which the build hook runs, installs before any `set -e`", f"start {first.source} with `set -eu`"
        else:
            problem, advice = f"the build hook goes on when `{script.text}` fails", "start the build hook with `set -eu`"
        yield finding(
            first.source, first.line, RULE.id, "no-errexit",
            f"{where}: {problem}, so a failed install does not fail the build "
            "(hooks run under dash and fail only if their last command fails)",
            Fix(advice),
        )  # fmt: skip
    for command in build:
        inner = command.unwrapped()
        manager, args = inner.manager, inner.arguments
        at = (command.source, command.line, RULE.id)
        if manager == "pip" and args[:1] == ("install",):
            for package, spec in installs(command):
                # pip, pipenv, Poetry and uv themselves are judged by the *-pinned rules.
                if package not in ("pip", "pipenv", "poetry", "uv", "setuptools", "wheel") and not spec.startswith("=="):
                    problem = f"{where}: `{command.text}` installs `{package}{spec}` by name, outside any requirements file or lock, so each build takes whatever release is newest"
                    yield finding(*at, "install-by-name", problem, Fix("pin it in requirements.txt and install that"))
            for target in _option_value(args, ("-r", "--requirement", "-c", "--constraint")):
                # A directory the repository lacks (a submodule, or made by the build) is not judged.
                if "$" not in target and reading.is_dir(app.path(command.cwd)) and not app.has(target, command.cwd):
                    problem = f"{where}: `{command.text}` installs {target!r}, which does not exist in the app root{' (after `cd ' + command.cwd + '`)' if command.cwd else ''}"
                    yield finding(*at, "missing-requirements-file", problem, Fix("commit it or fix the path"))
        elif manager == "pipenv" and args[:1] == ("install",):
            if "--skip-lock" in args:
                yield finding(*at, "lock-ignored", f"{where}: `{command.text}` ignores Pipfile.lock", Fix("use `pipenv install --deploy`"))
            elif len([a for a in args[1:] if not a.startswith("-")]) > 0:
                fix = Fix("add them with `pipenv install` on your machine, commit the lock, and use `pipenv install --deploy` here")
                yield finding(*at, "relocks-in-build", f"{where}: `{command.text}` adds packages during the build, outside Pipfile.lock", fix)
            elif "--deploy" not in args:
                yield finding(*at, "lock-not-enforced", f"{where}: `{command.text}` re-locks when Pipfile.lock is out of date instead of failing", Fix("use `pipenv install --deploy`"))
            if not app.has("Pipfile.lock", command.cwd):
                yield finding(*at, "missing-lock", f"{where}: `{command.text}` has no Pipfile.lock to install from", PIPENV_LOCK)
        elif manager == "pipenv" and args[:1] == ("sync",) and not app.has("Pipfile.lock", command.cwd):
            yield finding(*at, "missing-lock", f"{where}: `{command.text}` has no Pipfile.lock to install from", PIPENV_LOCK)
        elif manager == "poetry" and args[:1] in (("lock",), ("update",), ("add",)):
            problem = f"{where}: `{command.text}` changes the lock during the build, so the server installs what nobody tested"
            yield finding(*at, "relocks-in-build", problem, Fix("run it on your machine and commit poetry.lock"))
        elif manager == "poetry" and args[:1] in (("install",), ("sync",)) and not app.has("poetry.lock", command.cwd):
            yield finding(*at, "missing-lock", f"{where}: `{command.text}` has no poetry.lock, so Poetry resolves anew on every build", Fix("run `poetry lock` and commit poetry.lock", "poetry lock"))
        elif manager == "uv" and args[:1] in (("lock",), ("add",), ("init",), ("remove",)):
            fix = Fix("run it on your machine, commit uv.lock, and use `uv sync --locked` here")
            yield finding(*at, "relocks-in-build", f"{where}: `{command.text}` changes the project or its lock during the build", fix)
        elif manager == "uv" and args[:1] == ("sync",):
            if not {"--locked", "--frozen"} & set(args):
                yield finding(*at, "lock-not-enforced", f"{where}: `{command.text}` re-locks when uv.lock is out of date instead of failing", Fix("use `uv sync --locked`"))
            if not app.has("uv.lock", command.cwd):
                yield finding(*at, "missing-lock", f"{where}: `{command.text}` has no uv.lock to install from", Fix("run `uv lock` and commit uv.lock", "uv lock"))
        elif manager == "pdm" and args[:1] in (("lock",), ("add",), ("update",), ("remove",)):
            fix = Fix("run it on your machine, commit pdm.lock, and use `pdm sync` here")
            yield finding(*at, "relocks-in-build", f"{where}: `{command.text}` changes the project or its lock during the build", fix)
        elif manager == "pdm" and args[:1] in (("install",), ("sync",)):
            # `pdm install` re-locks an out-of-date pdm.lock unless told not to; `pdm sync` never locks.
            if args[:1] == ("install",) and not {"--frozen-lockfile", "--frozen", "--check"} & set(args):
                yield finding(*at, "lock-not-enforced", f"{where}: `{command.text}` re-locks when pdm.lock is out of date instead of failing", Fix("use `pdm sync` (or `pdm install --check`)"))
            if not app.has("pdm.lock", command.cwd):
                yield finding(*at, "missing-lock", f"{where}: `{command.text}` has no pdm.lock to install from", Fix("run `pdm lock` and commit pdm.lock", "pdm lock"))
    yield from _shell_findings(app, where, build)
    yield from _pipenv_run_without_virtualenv(app, where, build)
    manifests = set(app.manifests()) & INSTALLS_FROM
    if manifests and not install_commands:
        yield finding(
            app.config, _build_line(app), RULE.id, "installs-nothing",
            f"{where} has {', '.join(sorted(manifests))} but its build hook installs nothing{_why_nothing(app)}, and Python's build flavor installs nothing by itself",
            Fix("add the install command (`pip install -r requirements.txt`, `pipenv install --deploy`, `poetry install`, `uv sync --locked`) to hooks.build"),
        )  # fmt: skip


def _build_line(app: App) -> int:
    """The line to point at: the build hook, else a build script misplaced under the app, else
    `hooks:`, else the app."""
    if app.get("hooks", "build") is not None:
        return app.line_of("hooks", "build")
    if app.get("build") is not None:
        return app.line_of("build")
    return app.line_of("hooks")


def _why_nothing(app: App) -> str:
    misplaced = app.get("build")
    if app.get("hooks", "build") is not None:
        return ""
    if isinstance(misplaced, str):
        return f" (there is none: the script at line {app.line_of('build')} sits directly under the app, not under `hooks:`)"
    if hasattr(misplaced, "get") and "commands" in misplaced:
        return f" (there is none: `build.commands:` at line {app.line_of('build', 'commands')} is not a hook, and the platform does not run it)"
    return " (there is none)"


# -- the scripts as dash reads them ---------------------------------------------------------------

# What may follow `||` and still swallow the failure: it succeeds whatever happened before.
_SWALLOWS = frozenset({"true", ":", "echo", "printf"})
_DASH = ("sh", "dash")


def _interpreter(text: str) -> str | None:
    """The program a script's `#!` line names (`bash` for `#!/usr/bin/env bash`), or None."""
    first = text.split("\n", 1)[0]
    words = first[2:].split() if first.startswith("#!") else []
    if words and os.path.basename(words[0]) == "env" and len(words) > 1:
        words = words[1:]
    return os.path.basename(words[0]) if words else None


def _under_dash(via: Command | None, text: str) -> bool:
    """Does dash read the script that `via` runs (`text`)? Hooks run under dash; `sh x` and
    `dash x` too; `. x` runs in its caller's shell; `./x.sh` under its `#!` line (its caller's
    shell without one); `bash x` under bash, whose syntax is not dash's."""
    if via is None:
        return True
    program = os.path.basename(via.words[0])
    if program in _DASH:
        return True
    if program in INTERPRETERS and not via.sourced:
        return False
    interpreter = None if via.sourced else _interpreter(text)
    if interpreter is not None:
        return interpreter in _DASH
    try:
        holder = reading.read_text(via.source) if via.via is not None else ""
    except InputError:
        return False
    return _under_dash(via.via, holder)


def _scripts(app: App) -> Iterator[tuple[str, str, int, str, Command | None]]:
    """(where, file, line of its first line, text, the command that runs it) of each hook
    script and each repository script the hooks run that dash reads."""
    for place, (text, first_line) in app.scripts.items():
        if place.startswith("hooks."):
            yield place, app.sources.get(place, app.config), first_line, text, None
    seen = set()
    for command in app.commands():
        if command.via is None or command.source in seen or not command.where.startswith("hooks."):
            continue
        seen.add(command.source)
        try:
            text = reading.read_text(command.source)
        except InputError:
            continue  # judged without it, as when the app was loaded
        if _under_dash(command.via, text):
            yield command.where, command.source, 1, text, command.via


def _shell_findings(app: App, where: str, build: list[Command]) -> Iterator[Finding]:
    # The installs a `set -e` guards: only those can have it defeated.
    guarded = {(c.source, c.line) for c in build} - {(c.source, c.line) for c in unguarded(build)}
    for place, source, first_line, text, via in _scripts(app):
        last_line = first_line + text.rstrip("\n").count("\n")
        hook = f"the {place.split('.', 1)[1]} hook"
        what = hook if via is None else f"{source}, which {hook} runs,"
        error = syntax_error(text)
        if error is not None:
            line = min(first_line + error.line - 1, last_line)
            problem = f"{where}: {what} is not valid POSIX shell: dash stops at this line with `Syntax error: {error.message}`, so {hook} fails here, every time"
            fix = Fix("correct the script (`sh -n` shows the same error on a copy of it)")
            yield finding(source, line, RULE.id, "shell-syntax", problem, fix)
            continue
        if place != "hooks.build":
            continue
        commands = simple_commands(text) or []
        waits = any(command.words[0] == "wait" for command in commands)
        for simple in commands:
            line = first_line + simple.line - 1
            if (source, line) not in guarded or not is_install(Command(tuple(simple.words), line, source, place, "", 0)):
                continue
            why = _ignored(simple, waits)
            if why is not None:
                problem, advice = why
                yield finding(source, line, RULE.id, "errexit-defeated", f"{where}: `{' '.join(simple.words)}` {problem}, so a failed install does not fail the build", Fix(advice))


def _ignored(simple: Simple, waits: bool) -> tuple[str, str] | None:
    """(why `set -e` does not stop the build when `simple` fails, the fix), or None when it does
    or when the script handles the failure itself (`|| exit 1`, an `if` branch that exits, an
    `until` that retries, a `wait` for the background job)."""
    right = " ".join(" ".join(words) for words in simple.right[:1])
    if simple.ignored == OR_LIST and simple.right and all(words[0] in _SWALLOWS for words in simple.right):
        return f"is followed by `|| {right}`, which succeeds whatever the install did", f"drop `|| {right}`"
    if simple.ignored == AND_LIST and not simple.last:
        return (
            f"is followed by `&& {right}`: `set -e` ignores a failure anywhere in an `&&` list but its last command, and the hook goes on",
            "put the install on a line of its own",
        )
    if simple.ignored == PIPELINE:
        return (
            f"is piped into `{right}`: a pipeline fails only when its last command does, and dash has no `set -o pipefail` (it is bash's, and dash refuses it)",
            "drop the pipe (`> install.log 2>&1` keeps the log, in a file)",
        )
    if simple.ignored == CONDITION and not simple.handled:
        return "is the condition of an `if` or `while` whose branches never stop the script, and `set -e` ignores conditions", "run it on a line of its own (or `exit 1` in the branch it fails into)"
    if simple.ignored == NEGATED:
        return "follows `!`, and `set -e` ignores a negated command", "drop the `!`"
    if simple.ignored == BACKGROUND and not waits:
        return "runs in the background (`&`), and nothing waits for its status", "drop the `&`"
    return None


# -- `pipenv install --system`, then `pipenv run` ---------------------------------------------------


def _pipenv_run_without_virtualenv(app: App, where: str, build: list[Command]) -> Iterator[Finding]:
    """`pipenv install --system` installs into the image's Python and makes no virtualenv: a
    later `pipenv run` looks for one, and at run time (a read-only file system) cannot make it."""
    system = next((c for c in build if c.manager == "pipenv" and c.arguments[:1] in (("install",), ("sync",)) and "--system" in c.arguments), None)
    if system is None:
        return
    for command in app.commands():
        if command.where == "hooks.build" or command.manager != "pipenv" or command.arguments[:1] != ("run",) or command is command.unwrapped():
            continue
        inner = " ".join(command.unwrapped().words)
        problem = (
            f"{where}: `{command.text}` runs in Pipenv's virtualenv, but the build installs with `{system.text}` "
            f"(line {system.line}{'' if system.source == command.source else ' of ' + system.source}), into the system Python, and no virtualenv exists at run time"
        )
        yield finding(command.source, command.line, RULE.id, "system-then-pipenv-run", problem, Fix(f"run `{inner}` directly (or drop `--system` from the install)"))
