"""Platform.sh and Upsun app configuration: every app, its root, its settings and its commands.

Configs are found as the platform finds them (`spec/platform-config.md` §1): every
`.platform.app.yaml` less than five directories deep (one app each), `.platform/applications.yaml`
(a list of apps with `name`, or a map keyed by name) and every first-level `.upsun/*.yaml`
(their `applications` maps merged). An app's root is where its hooks run and its manifests live:
`source.root` from the repository root, else the directory of a `.platform.app.yaml`, else the
repository root. Its hooks and start commands are split into commands when it is loaded, with
those of the repository's own shell scripts they run in place.

Nothing outside the repository (the current directory) is read: an `!include`, a `source.root`
or a script that leads outside is an `InputError` naming the reference as written.
"""

from __future__ import annotations

import functools
import os
import re
from collections.abc import Iterator
from typing import Any

from hooks import reading
from hooks.findings import InputError
from hooks.models import platform_yaml as yaml
from hooks.models.shell import Command, split_script

APP_FILE = ".platform.app.yaml"
UPSUN_DIR = ".upsun"
# The platform CLI's exclusions when it looks for `.platform.app.yaml`.
SKIPPED = {".git", ".idea", "builds", "node_modules", "vendor", ".platform", ".upsun", "__pycache__", ".venv", "venv"}
MAX_DEPTH = 5
MANIFESTS = (
    "requirements.txt", "Pipfile", "Pipfile.lock", "pyproject.toml", "poetry.lock", "uv.lock", "pdm.lock", "pylock.toml",
    "environment.yml", "environment.yaml", ".python-version", "runtime.txt", ".environment",
)  # fmt: skip
# The `dependencies` keys installed with pip: Python 3's, then Python 2's two spellings.
PIP_KEYS = ("python3", "python", "python2")
# Where commands run: the build/deploy/post_deploy hooks and the start commands.
HOOKS = ("build", "deploy", "post_deploy")
CONFIG_NAME = re.compile(r"(^|/)(\.platform\.app\.ya?ml|\.platform/applications\.ya?ml|\.upsun/[^/]+\.ya?ml)$")
# The three forms of config file: one app, a list or map of apps, an Upsun project.
APP_FILE_FORM, APPLICATIONS_FORM, UPSUN_FORM = "app-file", "applications", "upsun"


class App:
    """One app: where it is defined, its settings as loaded, its root and its commands. A plain
    class, not a dataclass: `dataclasses` (with `inspect`, `ast` and `dis`) would cost every
    platform rule several milliseconds of start-up."""

    __slots__ = ("name", "config", "line", "data", "root", "form", "root_exists", "sources", "scripts", "redefines", "all_commands")

    def __init__(self, name: str, config: str, line: int, data: Any, root: str, form: str = APP_FILE_FORM, root_exists: bool = True) -> None:
        self.name = name
        self.config = config  # the config file that defines it
        self.line = line  # the line where it is defined
        self.data = data  # its mapping, as loaded (line numbers kept)
        self.root = root  # repository-relative directory ("." for the repository root)
        self.form = form  # the form of the config file that lists it
        self.root_exists = root_exists  # False when `source.root` names no directory
        self.sources: dict[str, str] = {}  # hook -> file its script came from
        self.scripts: dict[str, tuple[str, int]] = {}  # where -> (script, first line)
        # (config, line, earlier config, earlier line) when another config already defines this name
        self.redefines: tuple[str, int, str, int] | None = None
        self.all_commands: list[Command] = []

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
        """The runtimes and packages of a composable `stack`: one string (`stack: 'python@3.10'`),
        a list of strings or of one-key mappings (`- "python@3.12": {…}`), or the mapping form's
        `runtimes`."""
        stack = self.get("stack")
        if isinstance(stack, dict):
            stack = stack.get("runtimes", [])
        if isinstance(stack, str):
            stack = [stack]
        if not isinstance(stack, list):
            return []
        names = [key for item in stack if isinstance(item, dict) for key in item]
        return [item.strip() for item in [*stack, *names] if isinstance(item, str)]

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

    def pip_dependencies(self) -> Iterator[tuple[str, str, Any]]:
        """(key, package, version as written) of every package under `dependencies.python3`,
        `python` and `python2`, the keys the platform installs with pip."""
        for key in PIP_KEYS:
            table = self.get("dependencies", key)
            if hasattr(table, "items"):
                for package, value in table.items():
                    yield key, str(package), value

    @property
    def pip_key(self) -> str:
        """The `dependencies` key whose pip is the image's: `python` on a Python 2 image."""
        return "python" if (self.python_version or "").startswith("2.") else "python3"

    @property
    def is_python(self) -> bool:
        return self.type.startswith("python:") or any(runtime.startswith("python@") for runtime in self._stack()) or any(command.manager for command in self.all_commands)

    def path(self, name: str) -> str:
        """A path for display and reading: `name` inside the app root."""
        return os.path.normpath(os.path.join(self.root, name)) if self.root not in ("", ".") else os.path.normpath(name)

    def manifests(self) -> list[str]:
        return [name for name in MANIFESTS if os.path.isfile(self.path(name))]

    def has(self, name: str, cwd: str = "") -> bool:
        return os.path.isfile(self.path(os.path.join(cwd, name)))

    def installed_requirements(self) -> set[str]:
        """The requirements and constraints files the build hook installs (`pip install -r`,
        `-c`, `uv pip install -r`), as paths like `path()`'s, relative to where it `cd`s."""
        found = set()
        for command in self.commands("hooks.build"):
            words = command.unwrapped().arguments
            for option, value in zip(words, words[1:]):
                if option in ("-r", "--requirement", "-c", "--constraint") and "$" not in value:
                    found.add(self.path(os.path.join(command.cwd, value)))
            found.update(self.path(os.path.join(command.cwd, w.split("=", 1)[1])) for w in words if w.startswith(("--requirement=", "--constraint=")))
        return found

    def commands(self, where: str | None = None) -> list[Command]:
        """Every command of the hooks and start commands (or of one of them), with the commands
        of the repository's own shell scripts they run (`./install-poetry.sh`) in place."""
        return [command for command in self.all_commands if where is None or command.where == where]


def leaves_repository(path: str) -> bool:
    """Does `path` (relative to the repository root, the current directory) lead outside it,
    through `..`, an absolute path, or a symlink?"""
    normal = os.path.normpath(path)
    return os.path.isabs(normal) or normal == os.pardir or normal.startswith(os.pardir + os.sep) or reading.outside(normal)


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


class Project:
    __slots__ = ("root", "apps", "errors")

    def __init__(self, root: str, apps: list[App], errors: list[InputError]) -> None:
        self.root = root
        self.apps = apps
        self.errors = errors  # configs that could not be read

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


# -- loading -----------------------------------------------------------------------------------


def _include(path: str, value: Any, base: str, line: int = 1) -> tuple[Any, str | None]:
    """Resolve a Platform `!include` (yaml or string) in `path`, relative to `base`: (value,
    file it came from)."""
    if yaml.tag_of(value) != "!include":
        return value, None
    if isinstance(value, dict):
        kind, target = str(value.get("type", "yaml")), value.get("path")
    else:
        kind, target = "yaml", str(value)
    if not isinstance(target, str) or kind not in ("yaml", "string"):
        return None, None
    included = os.path.normpath(os.path.join(base, target))
    if leaves_repository(included):
        raise InputError(path, f"includes {target!r}, which is outside the repository, so lockguard does not read it", line)
    if kind == "string":
        return reading.read_text(included), included
    return yaml.read(included), included


def _app_root(form: str, config: str, data: Any, root: str, line: int) -> tuple[str, bool]:
    """(the app's root relative to the repository, does it exist)."""
    source: Any = data.get("source") if hasattr(data, "get") else None
    declared = source.get("root") if hasattr(source, "get") else None
    if isinstance(declared, str) and declared.strip("/"):
        app_root = os.path.normpath(os.path.join(root, declared.strip("/")))
        if leaves_repository(app_root):
            where = yaml.key_line(source, "root", line)
            raise InputError(config, f"source.root {declared!r} leads outside the repository, so lockguard does not read it", where)
    elif form == APP_FILE_FORM:
        app_root = os.path.dirname(config) or "."
    else:
        app_root = os.path.normpath(root)
    relative = os.path.normpath(app_root) if app_root not in ("", ".") else "."
    return relative, os.path.isdir(app_root)


def _scripts(app: App) -> None:
    """Collect the app's scripts: hooks (with `!include type: string` resolved from the app
    root) and the start commands of web, workers and crons."""
    hooks = app.get("hooks")
    if hasattr(hooks, "get"):
        for name in HOOKS:
            value = hooks.get(name)
            # A hook merged in (`<<: *hooks`) has no line of its own: point at `hooks:`.
            line = yaml.value_line(hooks, name, yaml.key_line(app.data, "hooks", app.line))
            if yaml.tag_of(value) == "!include":
                value, source = _include(app.config, value, app.path("."), line)
                if source:
                    app.sources[f"hooks.{name}"] = source
                    line = 1
            elif yaml.is_block(value):
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
            app.scripts[f"{place}.{key}"] = (table[key], line + 1 if yaml.is_block(table[key]) else line)


# How deep scripts run by scripts are followed; real hooks go one or two levels down.
MAX_SCRIPT_DEPTH = 4


def _commands(app: App) -> list[Command]:
    """The commands of the app's scripts, with those of the shell scripts they run in place,
    each of those marked with the command that ran it. A script that leads outside the
    repository is an `InputError`; one missing is left out (the build may create it)."""
    found: list[Command] = []
    for place, (script, first_line) in app.scripts.items():
        found += _follow(app, split_script(script, first_line, app.sources.get(place, app.config), place), ())
    return found


def _follow(app: App, commands: list[Command], chain: tuple[str, ...]) -> list[Command]:
    found = []
    for command in commands:
        found.append(command)
        script = command.script_path()
        if script is None:
            continue
        path = app.path(script)
        if leaves_repository(path):
            raise InputError(command.source, f"`{command.text}` runs {command.script!r}, which is outside the repository, so lockguard does not read it", command.line)
        if os.path.isfile(path) and path not in chain and len(chain) < MAX_SCRIPT_DEPTH:
            try:
                text = reading.read_text(path)
            except InputError:
                continue  # unreadable: judged without it, as the platform would fail on it
            found += _follow(app, split_script(text, 1, path, command.where, command), (*chain, path))
    return found


def _entries(path: str, data: Any, form: str) -> Iterator[tuple[str, int, Any, str]]:
    """(name, line, mapping, file) of each app a config defines; `file` is the file holding the
    app's settings (an `!include`d file, or the config itself)."""
    if form == APP_FILE_FORM:
        if not isinstance(data, dict):
            raise InputError(path, "is not a mapping of app settings (name, type, hooks, …)")
        yield str(data.get("name", "app")), yaml.key_line(data, "name", 1), data, path
        return
    if form == APPLICATIONS_FORM:
        if isinstance(data, list):
            for index, item in enumerate(data):
                line = yaml.item_line(data, index, 1)
                item, included = _include(path, item, os.path.dirname(path), line)
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
        item, included = _include(path, item, os.path.dirname(path), line)
        if not isinstance(item, dict):
            raise InputError(path, f"app {name!r} is not a mapping", line)
        yield str(name), 1 if included else line, item, included or path


def form_of(path: str) -> str:
    parts = os.path.normpath(path).split(os.sep)
    if parts[-1].startswith(".platform.app."):
        return APP_FILE_FORM
    if len(parts) >= 2 and parts[-2] == ".platform":
        return APPLICATIONS_FORM
    return UPSUN_FORM


def parse(path: str, text: str, root: str = os.curdir) -> tuple[list[App], list[InputError]]:
    """The apps the config `path` holding `text` defines (its form told by its name), and what
    could not be read. The text is not read from disk: a rule's judgement can be tested on it."""
    return _apps(path, yaml.parse(path, text), root)


def _apps(path: str, data: Any, root: str) -> tuple[list[App], list[InputError]]:
    form = form_of(path)
    apps: list[App] = []
    errors: list[InputError] = []
    for name, line, mapping, holder in list(_entries(path, data, form)):  # a bad entry fails the file
        try:
            app_root, exists = _app_root(form, path, mapping, root, line)
            app = App(name, holder, line, mapping, app_root, form, exists)
            if holder != path:
                app.sources["config"] = path
            _scripts(app)
            app.all_commands = _commands(app)
        except InputError as error:
            errors.append(error)  # the app is not judged: part of it cannot be read
            continue
        apps.append(app)
    return apps, errors


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
        try:
            found, unreadable = _apps(path, yaml.read(path), root)
        except InputError as error:
            errors.append(error)
            continue
        errors += unreadable
        for app in found:
            if app.name in seen:
                app.redefines = (path, app.line, seen[app.name].config, seen[app.name].line)
            seen[app.name] = app
            apps.append(app)
    return Project(root, apps, errors)


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
