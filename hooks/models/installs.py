"""What a shell command installs: packages named to pip, pipx and uv, installs from a lock (a
requirements file, Pipfile.lock, poetry.lock, uv.lock, pdm.lock or a pylock.toml), the
installers of Poetry and uv, and the one version a spelling such as `==$PIP_VERSION` names.
"""

from __future__ import annotations

import re
from typing import Any

from hooks.models.shell import Command

# Patterns as text: `re` compiles (and caches) each when a rule first uses it, not on every start-up.
_PINNED = r"^==?\s*v?\d+(\.\d+)*([a-z]+\d*)?(\.post\d+)?(\.dev\d+)?$"
_VERSION = r"^v?\d+(\.\d+)*([a-z]+\d*)?(\.post\d+)?(\.dev\d+)?$"

# Poetry's installers and where each puts Poetry: the official one (install.python-poetry.org,
# once install-poetry.py) in ~/.local/bin, which is /app/.local/bin on the platform since HOME is
# /app; the deprecated get-poetry.py in ~/.poetry/bin.
LOCAL_BIN = "~/.local/bin"
_POETRY_INSTALLERS = r"(?P<official>install\.python-poetry\.org|install-poetry\.py)|get-poetry\.py"
# An installer fetched from a GitHub repository names a git ref: a release tag or a commit
# stays put, a branch (`master`) moves, and the file may vanish from it (install-poetry.py and
# get-poetry.py were removed from Poetry's `master` in 2023).
_GITHUB_FILE = r"https?://(?:raw\.githubusercontent\.com/[^/\s]+/[^/\s]+/(?:refs/heads/)?|github\.com/[^/\s]+/[^/\s]+/(?:raw|blob)/)(?P<ref>[^/\s]+)/"
_FIXED_REF = r"^(v?\d+(\.\d+)+([._-]?\w+)?|[0-9a-f]{7,40}|refs/tags/.*)$"
_UV_INSTALLER = r"astral\.sh/uv/(?:(?P<version>[0-9][^/]*)/)?install\.(sh|ps1)"
# Options of pip, pipx and uv that take a value (a file, an index, a directory), not a package.
_TAKES_VALUE = {"-r", "--requirement", "-c", "--constraint", "-e", "--editable", "-i", "--index-url", "--extra-index-url", "-f", "--find-links", "--target", "-t", "--prefix", "--root"}


def exact_version(value: Any, env: dict[str, str]) -> str | None:
    """The one version a `dependencies` value or a `pkg==X` spelling names, `$VARS` expanded from
    `variables.env`; None for `*`, ranges and undefined variables."""
    text = str(value).strip() if value is not None else ""
    text = re.sub(r"\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?", lambda m: env.get(m[1], "\0"), text)
    if "\0" in text:
        return None
    if re.match(_VERSION, text):
        return text
    if re.match(_PINNED, text):
        return text.lstrip("=").strip()
    return None


def installs(command: Command) -> list[tuple[str, str]]:
    """(package, version spec as written) for each package a `pip install` / `pipx install` /
    `uv pip install` / `uv tool install` names on the command line (not `-r` files)."""
    command = command.unwrapped()
    manager, args = command.manager, list(command.arguments)
    if manager == "uv" and args[:2] in (["pip", "install"], ["tool", "install"]):
        args = args[2:]
    elif (manager == "pip" or command.program == "pipx") and args[:1] == ["install"]:
        args = args[1:]
    else:
        return []
    found = []
    skip_next = False
    for arg in args:
        if skip_next:
            skip_next = False
            continue
        if arg in _TAKES_VALUE:
            skip_next = True
            continue
        if arg.startswith("-") or "/" in arg or arg.endswith((".whl", ".tar.gz", ".zip")) or arg in (".", ".."):
            continue  # a path or URL: the app's own code or a file in the checkout
        match = re.match(r"^([A-Za-z0-9][A-Za-z0-9._-]*)(\[[^\]]*\])?(.*)$", arg)
        if match:
            found.append((match[1].lower().replace("_", "-"), match[3]))
    return found


def is_install(command: Command) -> bool:
    """Does the command install packages (pip, pipenv, Poetry, uv, PDM, conda)? `pip install -r
    pylock.toml` and `uv pip sync pylock.toml` install from a PEP 751 lock."""
    command = command.unwrapped()
    manager, args = command.manager, command.arguments
    return (
        (manager == "pip" and args[:1] == ("install",))
        or (manager == "pipenv" and args[:1] in (("install",), ("sync",)))
        or (manager == "poetry" and args[:1] in (("install",), ("sync",), ("add",), ("update",)))
        or (manager == "uv" and (args[:1] in (("sync",), ("add",)) or args[:2] in (("pip", "install"), ("pip", "sync"))))
        or (manager == "pdm" and args[:1] in (("install",), ("sync",), ("add",), ("update",)))
        or (command.program in ("conda", "micromamba", "mamba") and args[:1] in (("install",), ("env",), ("create",)))
    )


def upgrades(command: Command) -> bool:
    return any(arg in ("-U", "--upgrade") for arg in command.unwrapped().arguments)


def poetry_installer(command: Command) -> str | None:
    """Where Poetry's installer, downloaded by this command, puts Poetry (`LOCAL_BIN` for the
    official one), or None when the command downloads no Poetry installer."""
    match = re.search(_POETRY_INSTALLERS, command.text)
    if not match or "://" not in command.text:
        return None
    return LOCAL_BIN if match["official"] else "~/.poetry/bin"


def moving_ref(command: Command) -> str | None:
    """The branch a GitHub file this command fetches comes from (`master`), or None when it
    fetches none, or one at a tag or commit."""
    match = re.search(_GITHUB_FILE, command.text)
    return match["ref"] if match and not re.match(_FIXED_REF, match["ref"]) else None


def uv_installer(command: Command) -> tuple[bool, str | None]:
    """(does the command fetch uv's installer, the version its URL names or None)."""
    match = re.search(_UV_INSTALLER, command.text)
    return (bool(match), match["version"] if match else None)
