"""Platform.sh and Upsun app configuration: every app, its root, its manifests and its hooks.

Configs are found as the platform finds them (`spec/platform-config.md` §1): every
`.platform.app.yaml` less than five directories deep (one app each), `.platform/applications.yaml`
(a list of apps with `name`, or a map keyed by name) and every first-level `.upsun/*.yaml`
(their `applications` maps merged). An app's root is where its hooks run and its manifests live:
`source.root` from the repository root, else the directory of a `.platform.app.yaml`, else the
repository root. The hooks' shell scripts are split into commands with their config line, the
directory they run in after `cd`, and what they install.
"""
from __future__ import annotations

import functools
import os
import re
import shlex
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from hooks import reading
from hooks.findings import InputError
from hooks.models import platform_yaml as yaml

APP_FILE = ".platform.app.yaml"
APPLICATIONS_FILE = os.path.join(".platform", "applications.yaml")
UPSUN_DIR = ".upsun"
# The platform CLI's exclusions when it looks for `.platform.app.yaml`.
SKIPPED = {".git", ".idea", "builds", "node_modules", "vendor", ".platform", ".upsun", "__pycache__", ".venv", "venv"}
MAX_DEPTH = 5
MANIFESTS = (
    "requirements.txt", "Pipfile", "Pipfile.lock", "pyproject.toml", "poetry.lock", "uv.lock",
    "environment.yml", "environment.yaml", ".python-version", "runtime.txt", ".environment",
)  # fmt: skip
# Where commands run: the build/deploy/post_deploy hooks and the start commands.
HOOKS = ("build", "deploy", "post_deploy")
MANAGERS = ("pip", "pipenv", "poetry", "uv")


@dataclass(frozen=True)
class Command:
    words: tuple[str, ...]
    line: int  # in `source`
    source: str  # the config file (or the included script) holding it
    where: str  # "hooks.build", "web.commands.start", "workers.queue.commands.start", …
    cwd: str  # the app-root-relative directory it runs in ("" = the root)
    index: int  # its position in its script

    @property
    def text(self) -> str:
        return " ".join(self.words)

    def _effective(self) -> list[str]:
        """The words from the program on: `sudo`, `env`, `X=1` and `python3.12 -m` left out."""
        words = list(self.words)
        while words and ("=" in words[0] and not words[0].startswith("-") or words[0] in ("sudo", "env", "exec", "time", "command")):
            words.pop(0)
        if len(words) >= 3 and re.match(r"^(.*/)?python[0-9.]*$", words[0]) and words[1] == "-m":
            words = words[2:]
        return words

    @property
    def program(self) -> str:
        """The program run, without its path (`pip` for `python3.12 -m pip`)."""
        words = self._effective()
        return os.path.basename(words[0]) if words else ""

    @property
    def arguments(self) -> tuple[str, ...]:
        return tuple(self._effective()[1:])

    def unwrapped(self) -> Command:
        """The command `pipenv run …`, `poetry run …` or `uv run …` runs (itself otherwise)."""
        words = list(self.words)
        if len(words) >= 3 and os.path.basename(words[0]) in ("pipenv", "poetry", "uv") and words[1] == "run":
            words = words[2:]
            while words and words[0].startswith("-"):
                words.pop(0)
            if words:
                return Command(tuple(words), self.line, self.source, self.where, self.cwd, self.index)
        return self

    @property
    def manager(self) -> str | None:
        """pip, pipenv, poetry or uv when this command runs one (`pip3.12` is pip)."""
        program = re.sub(r"[0-9.]+$", "", self.program)
        return program if program in MANAGERS else None


@dataclass
class App:
    name: str
    config: str  # the config file that defines it
    line: int  # the line where it is defined
    data: Any  # its mapping, as loaded (line numbers kept)
    root: str  # repository-relative directory ("." for the repository root)
    root_problem: str | None = None
    sources: dict[str, str] = field(default_factory=dict)  # hook -> file its script came from
    scripts: dict[str, tuple[str, int]] = field(default_factory=dict)  # where -> (script, first line)
    # (config, line, earlier config, earlier line) when another config already defines this name
    redefines: tuple[str, int, str, int] | None = None
    _commands: dict[str | None, list[Command]] = field(default_factory=dict, repr=False, compare=False)

    # -- plain data --------------------------------------------------------------------------

    def get(self, *keys: str) -> Any:
        value = self.data
        for key in keys:
            if not hasattr(value, "get"):
                return None
            value = value.get(key)
        return value

    def line_of(self, *keys: str) -> int:
        """Line of the deepest of `keys` present in the config (the app's line if none)."""
        value, line = self.data, self.line
        for key in keys:
            if not hasattr(value, "get") or key not in value:
                break
            line = yaml.key_line(value, key, line)
            value = value[key]
        return line

    @property
    def type(self) -> str:
        value = self.get("type")
        return value if isinstance(value, str) else ""

    @property
    def python_version(self) -> str | None:
        """`X.Y` of `type: python:X.Y`, or of `python@X.Y` in a composable stack."""
        match = re.match(r"^python:(\d+\.\d+)$", self.type.strip())
        if match:
            return match[1]
        for runtime in self._stack():
            found = re.match(r"^python@(\d+\.\d+)", runtime)
            if found:
                return found[1]
        return None

    def _stack(self) -> list[str]:
        stack = self.get("stack")
        if isinstance(stack, dict):
            stack = stack.get("runtimes", [])
        return [item for item in stack if isinstance(item, str)] if isinstance(stack, list) else []

    @property
    def env(self) -> dict[str, str]:
        """`variables.env`, YAML booleans as `true`/`false` (both spellings are used)."""
        variables = self.get("variables", "env")
        if not isinstance(variables, dict):
            return {}
        return {str(k): (str(v).lower() if isinstance(v, bool) else str(v)) for k, v in variables.items()}

    @property
    def python_dependencies(self) -> dict[str, Any]:
        value = self.get("dependencies", "python3")
        return dict(value) if isinstance(value, dict) else {}

    @property
    def is_python(self) -> bool:
        return (
            self.type.startswith("python:")
            or any(runtime.startswith("python@") for runtime in self._stack())
            or any(command.manager for command in self.commands())
        )

    def path(self, name: str) -> str:
        """A path for display and reading: `name` inside the app root."""
        return os.path.normpath(os.path.join(self.root, name)) if self.root not in ("", ".") else os.path.normpath(name)

    def manifests(self) -> list[str]:
        return [name for name in MANIFESTS if os.path.isfile(self.path(name))]

    def has(self, name: str, cwd: str = "") -> bool:
        return os.path.isfile(self.path(os.path.join(cwd, name)))

    # -- commands ------------------------------------------------------------------------------

    def commands(self, where: str | None = None) -> list[Command]:
        """Every command of the hooks and start commands (or of one of them), with the commands
        of the repository's own shell scripts they run (`./install-poetry.sh`) in place."""
        if where in self._commands:
            return list(self._commands[where])
        found = []
        for place, (script, first_line) in self.scripts.items():
            if where is None or place == where:
                for command in split_script(script, first_line, self.sources.get(place, self.config), place):
                    found.append(command)
                    found.extend(self._script_commands(command))
        self._commands[where] = found
        return list(found)

    def _script_commands(self, command: Command) -> list[Command]:
        words = list(command.words)
        if words and words[0] in ("sh", "bash", "dash", "source", "."):
            words = words[1:]
        if not words or not re.match(r"^(\./)?[\w./-]+\.sh$", words[0]):
            return []
        path = self.path(os.path.join(command.cwd, words[0]))
        if not os.path.isfile(path):
            return []
        try:
            text = reading.read_text(path)
        except InputError:
            return []
        return split_script(text, 1, path, command.where)

    def runtime_places(self) -> list[str]:
        """Where commands run after the build: deploy hooks, start commands, workers, crons."""
        return [place for place in self.scripts if place != "hooks.build"]


# -- shell ------------------------------------------------------------------------------------

_OPERATORS = {"&&", "||", ";", "|", "&", ";;", "(", ")", "|&"}


def split_script(script: str, first_line: int, source: str, where: str) -> list[Command]:
    """A hook script as commands: one per simple command (`&&`, `;`, `|` split), comments out,
    backslash continuations joined, each with its line and the directory `cd` left it in."""
    commands: list[Command] = []
    cwd = ""
    lines = script.split("\n")
    index = 0
    number = 0
    while number < len(lines):
        start = number
        text = lines[number]
        while text.endswith("\\") and number + 1 < len(lines):
            number += 1
            text = text[:-1] + " " + lines[number]
        number += 1
        for words in _simple_commands(text):
            if words[0] == "cd":
                cwd = _cd(cwd, words[1] if len(words) > 1 else "")
            commands.append(Command(tuple(words), first_line + start, source, where, cwd, index))
            index += 1
    return commands


def _simple_commands(text: str) -> Iterator[list[str]]:
    lexer = shlex.shlex(text, posix=True, punctuation_chars=True)
    lexer.whitespace_split = True
    lexer.commenters = "#"
    try:
        tokens = list(lexer)
    except ValueError:  # an unbalanced quote: fall back to plain words
        tokens = text.split("#", 1)[0].split()
    words: list[str] = []
    for token in tokens:
        if token in _OPERATORS:
            if words:
                yield words
            words = []
        else:
            words.append(token)
    if words:
        yield words


def _cd(cwd: str, target: str) -> str:
    """The app-root-relative directory after `cd target` from `cwd` ("" is the app root, also
    where the target leaves the app or cannot be followed: another absolute path, `~`, `-`, a
    variable other than $PLATFORM_APP_DIR)."""
    target = re.sub(r"^(\$\{?PLATFORM_APP_DIR\}?|/app)(/|$)", "", target)
    if target.startswith("/") or target in ("", "~", "-") or "$" in target:
        return ""
    joined = os.path.normpath(os.path.join(cwd, target)).replace(os.sep, "/")
    return "" if joined == "." or joined == ".." or joined.startswith("../") else joined


# -- discovery ---------------------------------------------------------------------------------


# The walk's result per root, with the modification time of every directory it listed: a new
# or removed file changes its directory's time, so the platform rules of one run share a walk.
_walks: dict[str, tuple[dict[str, int], list[str]]] = {}


def config_files(root: str) -> list[str]:
    """Every app config under `root`, as paths relative to the current directory."""
    key = os.path.abspath(root)
    cached = _walks.get(key)
    if cached is not None:
        try:
            if all(os.stat(directory).st_mtime_ns == stamp for directory, stamp in cached[0].items()):
                return list(cached[1])
        except OSError:
            pass
    stamps: dict[str, int] = {}
    found = _walk(root, stamps)
    _walks[key] = (stamps, found)
    return list(found)


def _walk(root: str, stamps: dict[str, int]) -> list[str]:
    found: list[str] = []
    for directory, directories, files in os.walk(root):
        try:
            stamps[directory] = os.stat(directory).st_mtime_ns
        except OSError:
            continue
        relative = os.path.relpath(directory, root)
        depth = 0 if relative == os.curdir else relative.count(os.sep) + 1
        directories[:] = sorted(d for d in directories if d not in SKIPPED and depth + 1 < MAX_DEPTH)
        for name in (APP_FILE, ".platform.app.yml"):
            if name in files:
                found.append(os.path.normpath(os.path.join(directory, name)))
    for name in ("applications.yaml", "applications.yml"):
        path = os.path.normpath(os.path.join(root, ".platform", name))
        if os.path.isfile(path):
            found.append(path)
    for extra in (os.path.join(root, ".platform"), os.path.join(root, UPSUN_DIR)):
        if os.path.isdir(extra):
            stamps[extra] = os.stat(extra).st_mtime_ns
    upsun = os.path.join(root, UPSUN_DIR)
    if os.path.isdir(upsun):
        found.extend(os.path.normpath(os.path.join(upsun, n)) for n in sorted(os.listdir(upsun)) if n.endswith((".yaml", ".yml")) and os.path.isfile(os.path.join(upsun, n)))
    return sorted(found)


def _relative(root: str, path: str) -> str:
    relative = os.path.relpath(path, root)
    return "." if relative == "." else relative


@dataclass
class Project:
    root: str
    apps: list[App]
    errors: list[InputError]  # configs that could not be read

    def apps_touched_by(self, paths: list[str]) -> list[App]:
        """The apps a change to `paths` can affect: their config, or anything in their root."""
        normalized = {os.path.normpath(p) for p in paths}
        directories = set()  # every directory holding one of `paths`, at any depth
        for path in normalized:
            parent = os.path.dirname(path)
            while parent and parent not in directories:
                directories.add(parent)
                parent = os.path.dirname(parent)
        touched = []
        for app in self.apps:
            root = os.path.normpath(app.path("."))
            files = {os.path.normpath(app.config), *map(os.path.normpath, app.sources.values())}
            if root == os.curdir and normalized or root in directories or root in normalized or files & normalized:
                touched.append(app)
        return touched


def _include(path: str, value: Any, base: str, root: str) -> tuple[Any, str | None]:
    """Resolve a Platform `!include` (yaml or string): (value, file it came from)."""
    if yaml.tag_of(value) != "!include":
        return value, None
    if isinstance(value, dict):
        kind, target = str(value.get("type", "yaml")), value.get("path")
    else:
        kind, target = "yaml", str(value)
    if not isinstance(target, str) or kind not in ("yaml", "string"):
        return None, None
    included = os.path.normpath(os.path.join(base, target))
    if os.path.relpath(os.path.abspath(included), os.path.abspath(root)).startswith(".."):
        raise InputError(path, f"includes {target!r}, which is outside the repository")
    if kind == "string":
        return reading.read_text(included), included
    return yaml.read(included), included


def _app_root(kind: str, config: str, data: Any, root: str) -> tuple[str, str | None]:
    source = data.get("source") if hasattr(data, "get") else None
    declared = source.get("root") if hasattr(source, "get") else None
    if isinstance(declared, str) and declared.strip("/"):
        app_root = os.path.normpath(os.path.join(root, declared.strip("/")))
    elif kind == "app-file":
        app_root = os.path.dirname(config) or "."
    else:
        app_root = os.path.normpath(root)
    problem = None if os.path.isdir(app_root) else f"source.root {declared!r} does not exist"
    return _relative(".", app_root) if app_root not in ("", ".") else ".", problem


def _scripts(app: App, repo_root: str) -> None:
    """Collect the app's scripts: hooks (with `!include type: string` resolved from the app
    root) and the start commands of web, workers and crons."""
    hooks = app.get("hooks")
    if hasattr(hooks, "get"):
        for name in HOOKS:
            value = hooks.get(name)
            # A hook merged in (`<<: *hooks`) has no line of its own: point at `hooks:`.
            line = yaml.value_line(hooks, name, yaml.key_line(app.data, "hooks", app.line))
            if yaml.tag_of(value) == "!include":
                value, source = _include(app.config, value, app.path("."), repo_root)
                if source:
                    app.sources[f"hooks.{name}"] = source
                    line = 1
            elif isinstance(value, str) and _is_block(app.config, line):
                line += 1
            if isinstance(value, str):
                app.scripts[f"hooks.{name}"] = (value, line)
    starts: list[tuple[str, Any, Any]] = [("web.commands", app.get("web", "commands"), "start")]
    for group in ("workers", "crons"):
        entries = app.get(group)
        if hasattr(entries, "items"):
            for worker, body in entries.items():
                commands = body.get("commands") if hasattr(body, "get") else None
                if hasattr(commands, "get"):
                    starts.append((f"{group}.{worker}.commands", commands, "start"))
                elif hasattr(body, "get") and "cmd" in body:
                    starts.append((f"{group}.{worker}", body, "cmd"))
    for place, table, key in starts:
        if hasattr(table, "get") and isinstance(table.get(key), str):
            line = yaml.value_line(table, key, app.line)
            app.scripts[f"{place}.{key}"] = (table[key], line + 1 if _is_block(app.config, line) else line)


def _lines(path: str) -> tuple[str, ...]:
    try:
        return tuple(reading.read_text(path).split("\n"))
    except InputError:
        return ()


def _is_block(path: str, line: int) -> bool:
    """Is the value at `line` a block scalar (`|` or `>`), whose text starts on the next line?"""
    lines = _lines(path)
    return 0 < line <= len(lines) and bool(re.search(r":\s*[|>][-+0-9]*\s*(#.*)?$", lines[line - 1]))


def _entries(path: str, data: Any, kind: str) -> Iterator[tuple[str, int, Any, str]]:
    """(name, line, mapping, file) of each app a config defines; `file` is the file holding the
    app's settings (an `!include`d file, or the config itself)."""
    if kind == "app-file":
        if not isinstance(data, dict):
            raise InputError(path, "is not a mapping of app settings (name, type, hooks, …)")
        yield str(data.get("name", "app")), yaml.key_line(data, "name", 1), data, path
        return
    if kind == "applications":
        if isinstance(data, list):
            for index, item in enumerate(data):
                line = yaml.item_line(data, index, 1)
                item, included = _include(path, item, os.path.dirname(path), ".")
                if not isinstance(item, dict):
                    raise InputError(path, "lists an app that is not a mapping", line)
                yield str(item.get("name", f"app{index}")), yaml.key_line(item, "name", 1) if included else line, item, included or path
            return
        if isinstance(data, dict):
            yield from _keyed_apps(path, data)
            return
        raise InputError(path, "is neither a list of apps nor a mapping of apps")
    if data is None:
        return
    if not isinstance(data, dict):
        raise InputError(path, "is not a mapping with `applications`, `services` and `routes`")
    applications = data.get("applications")
    if applications is None:
        return
    if not isinstance(applications, dict):
        raise InputError(path, "`applications` is not a mapping of apps keyed by name", yaml.key_line(data, "applications", 1))
    yield from _keyed_apps(path, applications)


def _keyed_apps(path: str, apps: dict[str, Any]) -> Iterator[tuple[str, int, Any, str]]:
    for name, item in apps.items():
        line = yaml.key_line(apps, name, 1)
        item, included = _include(path, item, os.path.dirname(path), ".")
        if not isinstance(item, dict):
            raise InputError(path, f"app {name!r} is not a mapping", line)
        yield str(name), 1 if included else line, item, included or path


def _kind(path: str) -> str:
    parts = os.path.normpath(path).split(os.sep)
    if parts[-1].startswith(".platform.app."):
        return "app-file"
    if len(parts) >= 2 and parts[-2] == ".platform":
        return "applications"
    return "upsun"


def load(root: str = ".") -> Project:
    """Every app under `root`. Cached while the configs are unchanged, so that the platform rules
    of one run read and parse each config once, and an edited config is read again."""
    files = config_files(root)
    signature = []
    for path in files:
        try:
            info = os.stat(path)
            signature.append((path, info.st_mtime_ns, info.st_size, info.st_ino))
        except OSError:
            signature.append((path, 0, 0, 0))
    return _load(os.path.abspath(root), root, tuple(signature))


@functools.lru_cache(maxsize=16)
def _load(absolute: str, root: str, signature: tuple[Any, ...]) -> Project:
    apps: list[App] = []
    errors: list[InputError] = []
    seen: dict[str, App] = {}
    for path in (entry[0] for entry in signature):
        kind = _kind(path)
        try:
            data = yaml.read(path)
            entries = list(_entries(path, data, kind))
        except InputError as error:
            errors.append(error)
            continue
        for name, line, mapping, holder in entries:
            app_root, problem = _app_root(kind, path, mapping, root)
            app = App(name, holder, line, mapping, app_root, problem)
            if holder != path:
                app.sources["config"] = path
            if name in seen:
                app.redefines = (path, line, seen[name].config, seen[name].line)
            seen[name] = app
            try:
                _scripts(app, root)
            except InputError as error:
                errors.append(error)
            apps.append(app)
    return Project(root, apps, errors)


# -- what installs what ------------------------------------------------------------------------

_PINNED = re.compile(r"^==?\s*v?\d+(\.\d+)*([a-z]+\d*)?(\.post\d+)?(\.dev\d+)?$")
_VERSION = re.compile(r"^v?\d+(\.\d+)*([a-z]+\d*)?(\.post\d+)?(\.dev\d+)?$")


def exact_version(value: Any, env: dict[str, str]) -> str | None:
    """The one version a `dependencies` value or a `pkg==X` spelling names, `$VARS` expanded from
    `variables.env`; None for `*`, ranges and undefined variables."""
    text = str(value).strip() if value is not None else ""
    text = re.sub(r"\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?", lambda m: env.get(m[1], "\0"), text)
    if "\0" in text:
        return None
    if _VERSION.match(text):
        return text
    if _PINNED.match(text):
        return text.lstrip("=").strip()
    return None


def installs(command: Command) -> list[tuple[str, str]]:
    """(package, version spec as written) for each package a `pip install` / `pipx install` /
    `uv pip install` / `uv tool install` names on the command line (not `-r` files)."""
    command = command.unwrapped()
    manager, args = command.manager, list(command.arguments)
    if manager == "uv" and args[:2] in (["pip", "install"], ["tool", "install"]):
        args = args[2:]
    elif manager in ("pip", "pipx") and args[:1] == ["install"]:
        args = args[1:]
    elif command.program == "pipx" and args[:1] == ["install"]:
        args = args[1:]
    else:
        return []
    found = []
    skip_next = False
    for arg in args:
        if skip_next:
            skip_next = False
            continue
        if arg in ("-r", "--requirement", "-c", "--constraint", "-e", "--editable", "-i", "--index-url", "--extra-index-url", "-f", "--find-links", "--target", "-t", "--prefix", "--root"):
            skip_next = True
            continue
        if arg.startswith("-") or "/" in arg or arg.endswith((".whl", ".tar.gz", ".zip")) or arg in (".", ".."):
            continue  # a path or URL: the app's own code or a file in the checkout
        match = re.match(r"^([A-Za-z0-9][A-Za-z0-9._-]*)(\[[^\]]*\])?(.*)$", arg)
        if match:
            found.append((match[1].lower().replace("_", "-"), match[3]))
    return found


def is_install(command: Command) -> bool:
    """Does the command install packages (pip, pipenv, Poetry, uv, conda)?"""
    command = command.unwrapped()
    manager, args = command.manager, command.arguments
    return (
        (manager == "pip" and args[:1] == ("install",))
        or (manager == "pipenv" and args[:1] in (("install",), ("sync",)))
        or (manager == "poetry" and args[:1] in (("install",), ("sync",), ("add",), ("update",)))
        or (manager == "uv" and (args[:1] in (("sync",), ("add",)) or args[:2] == ("pip", "install")))
        or (command.program in ("conda", "micromamba", "mamba") and args[:1] in (("install",), ("env",), ("create",)))
    )


def upgrades(command: Command) -> bool:
    return any(arg in ("-U", "--upgrade") for arg in command.unwrapped().arguments)


# -- the apps a change touches ------------------------------------------------------------------

CONFIG_NAME = re.compile(r"(^|/)(\.platform\.app\.ya?ml|\.platform/applications\.ya?ml|\.upsun/[^/]+\.ya?ml)$")


def touched_apps(paths: list[str], root: str = os.curdir) -> Iterator[App | InputError]:
    """Every app the changed `paths` touch, judged whole from disk whichever of its files
    changed, and an `InputError` for each config that cannot be read."""
    project = load(root)
    loaded = {os.path.normpath(p) for p in config_files(root)}
    for path in paths:
        if CONFIG_NAME.search(path.replace(os.sep, "/")) and os.path.normpath(path) not in loaded:
            # Not a config the platform reads (too deep, or not a file): say why if unreadable.
            try:
                reading.read_text(path)
            except InputError as error:
                yield error
    yield from project.errors
    yield from project.apps_touched_by(paths)
