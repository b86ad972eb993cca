"""Which package manager an app root's locks call for, which ones its build hook installs with,
and the requirements.txt beside another manager's lock that no build installs.

Platform's tooling picks poetry.lock first, then Pipfile.lock, then requirements.txt; uv.lock,
pdm.lock and pylock.toml (PEP 751) rank between Pipfile.lock and requirements.txt.
"""

from __future__ import annotations

import os
import re

from hooks.catalogue import BY_ID
from hooks.units import may_hold_apps

# Imported for type checkers only: the app model brings the YAML machinery, which a
# requirements file's rules load only where an app can be.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from hooks.models.app_config import App
    from hooks.models.shell import Command

PRECEDENCE = (("poetry.lock", "poetry"), ("Pipfile.lock", "pipenv"), ("uv.lock", "uv"), ("pdm.lock", "pdm"), ("pylock.toml", "pylock"), ("requirements.txt", "pip"))
INSTALL = {
    "poetry": "poetry install", "pipenv": "pipenv install --deploy", "uv": "uv sync --locked", "pdm": "pdm sync",
    "pylock": "pip install -r pylock.toml", "pip": "pip install -r requirements.txt",
}  # fmt: skip
PYLOCK = BY_ID["pylock"].files  # the names PEP 751 gives a pylock file (compiled when first used)


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


def installers(app: App) -> dict[str, Command]:
    """The managers the build hook installs with (`pip` for requirements files, `pylock` for a
    PEP 751 lock), each with its first command."""
    found: dict[str, Command] = {}
    for command in app.commands("hooks.build"):
        inner = command.unwrapped()
        manager, args = inner.manager, inner.arguments
        files = _installed_files(args) if manager == "pip" else _installed_files(args[1:]) if manager == "uv" and args[:1] == ("pip",) else None
        if files:
            found.setdefault("pylock" if any(re.search(PYLOCK, f) for f in files) else "pip", command)
        elif (manager == "pipenv" and args[:1] in (("install",), ("sync",))) or (manager in ("poetry", "pdm") and args[:1] in (("install",), ("sync",))) or (manager == "uv" and args[:1] == ("sync",)):
            found.setdefault(manager, command)
    return found


def called_for(app: App) -> tuple[str, str] | None:
    """The (lock, manager) the app root's files call for, by precedence, or None."""
    return next(((name, manager) for name, manager in PRECEDENCE if app.has(name)), None)


def stray_requirements(app: App) -> tuple[str, str] | None:
    """(lock, manager) when the app root's requirements.txt sits beside the lock of the manager
    the build installs with, and no build command installs it; else None."""
    present = called_for(app)
    if present is None or present[1] == "pip" or present[1] not in installers(app):
        return None
    if not app.has("requirements.txt") or app.path("requirements.txt") in app.installed_requirements():
        return None
    return present


def stray_app(path: str, root: str) -> App | None:
    """The Python app whose root holds the requirements file `path` and whose build leaves it
    stray (see `stray_requirements`), or None. Apps are looked for below `root`, only where an app
    can be."""
    directory = os.path.dirname(path) or os.curdir
    if os.path.basename(path) != "requirements.txt" or not may_hold_apps(root, directory):
        return None
    from hooks.models import app_config

    target = os.path.normpath(path)
    for app in app_config.load(root).apps:
        if app.is_python and os.path.normpath(app.path("requirements.txt")) == target and stray_requirements(app):
            return app
    return None
