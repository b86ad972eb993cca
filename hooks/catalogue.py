"""The catalogue: every rule lockguard has, in one place.

`.pre-commit-hooks.yaml`, the README's hook table and rule sections, the console scripts and
the `lockguard` command are all derived from this list (`python -m hooks.generate`). A rule's
module is derived from its id (`requirements-pinned` -> `hooks.requirements_pinned`); its
documentation is that module's docstring.
"""

from __future__ import annotations

import os
from collections import namedtuple

# Imported for type checkers only: `typing` costs a hook several milliseconds of start-up.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Union

    OptionValue = Union[bool, str, int]


class Option(namedtuple("Option", ("name", "help", "kind", "default"), defaults=(bool, False))):
    """A per-rule setting: a hook arg `--name` and a key in `[tool.lockguard.<rule-id>]`.

    `kind` is `bool`, `str` or `int`; `default` its value when neither is given.
    """

    __slots__ = ()

    @property
    def attribute(self) -> str:
        return self.name.replace("-", "_")


class Rule(namedtuple("Rule", ("id", "description", "files", "scope", "kinds", "require_serial", "fixable", "options"), defaults=(False, False, ()))):
    """One hook. `files` is matched with re.search against the forward-slash path relative to
    the repository root, exactly as pre-commit matches a hook's `files`. `scope` names what the
    rule judges, one unit at a time (`hooks.units.SCOPES`: a file, a project, an app, …);
    `kinds` maps each kind of finding it reports to what that kind means. `require_serial` is
    True when the rule judges files together (a manifest and its lock, a whole app): pre-commit
    must then pass every file to one process instead of splitting the list. `fixable` rules
    take `--fix`; `options` is a tuple of `Option`."""

    __slots__ = ()

    @property
    def module(self) -> str:
        return "hooks." + self.id.replace("-", "_")


# What a Platform.sh/Upsun app rule watches: the app configs, `.environment`, and the manifests
# an app root holds. Those rules judge whole apps, read from disk, so they run serially.
PLATFORM_FILES = (
    r"(^|/)(\.platform\.app\.ya?ml|\.platform/applications\.ya?ml|\.upsun/[^/]+\.ya?ml|\.environment"
    r"|[^/]*requirements[^/]*\.txt|Pipfile|Pipfile\.lock|pyproject\.toml|poetry\.lock|uv\.lock|pdm\.lock|pylock(\.[^/]+)?\.toml"
    r"|environment\.ya?ml|\.python-version|runtime\.txt)$"
)

# pip requirements and constraints files, wherever they are.
REQUIREMENTS_FILES = r"(^|/)([^/]*(requirements|constraints)[^/]*\.txt|requirements/([^/]+/)*[^/]+\.txt)$"

RULES: tuple[Rule, ...] = (
    Rule(
        id="requirements-pinned",
        description="every requirement in a pip requirements or constraints file names exactly one release",
        files=REQUIREMENTS_FILES,
        scope="file",
        kinds={
            "unpinned": "a named requirement allows more than one release",
            "mutable-url": "a VCS URL not at a full commit, or an archive URL without a hash",
            "local-path": "a local path (reported with `--no-local-paths` only)",
            "missing-hash": "a requirement without `--hash` where hashes are required",
            "unparsable-line": "a line pip cannot parse",
            "remote-include": "`-r`/`-c` names a URL, which cannot be checked offline",
            "include-cycle": "`-r`/`-c` includes make a cycle",
            "bad-include": "an included file is missing, unreadable or outside the repository",
        },
        options=(
            Option("no-local-paths", "also report local paths and `-e .` (the app's own code), allowed by default"),
            Option("require-hashes", "require a `--hash` on every requirement, as `pip install --require-hashes` does"),
        ),
    ),
    Rule(
        id="pipfile-lock",
        description="Pipfile.lock exists and is in sync with its Pipfile, as pipenv judges it (2026.10.3, or the release the app pins)",
        files=r"(^|/)(Pipfile(\.lock)?|pylock(\.[^/]+)?\.toml)$",
        scope="project",
        kinds={
            "missing-lock": "a Pipfile without Pipfile.lock",
            "only-pylock": "a Pipfile with a pylock file but no Pipfile.lock: pipenv never checks a pylock file against the Pipfile",
            "pylock-ignored-by-pin": "a note: the pinned pipenv predates pylock support, so it installs Pipfile.lock and ignores the pylock file",
            "orphan-lock": "a Pipfile.lock without its Pipfile",
            "stale-lock": "the lock's hash is not the Pipfile's",
            "older-tool-lock": "the lock is in sync only for pipenvs older than the current one",
            "stale-for-pin": "the lock is in sync for some pipenv, but not for the one the build pins",
            "in-sync-for-pin": "a note: the lock is in sync for the pinned pipenv, which a current pipenv would reject",
            "default-index-assumed": "a note: a Pipfile without [[source]] is judged with the index the lock records",
        },
        require_serial=True,
    ),
    Rule(
        id="poetry-lock",
        description="a Poetry project has a poetry.lock whose content-hash is what Poetry computes (2.5.1, or the release the app pins)",
        files=r"(^|/)(pyproject\.toml|poetry\.lock)$",
        scope="project",
        kinds={
            "missing-lock": "a Poetry project without poetry.lock",
            "orphan-lock": "a poetry.lock without pyproject.toml",
            "stale-lock": "the lock's content-hash is not the pyproject's",
            "older-tool-lock": "the lock matches only what an older Poetry hashed",
            "stale-for-pin": "the lock is fresh for some Poetry, but not for the one the build pins",
            "in-sync-for-pin": "a note: the lock is fresh for the pinned Poetry, which a current Poetry would reject",
            "unloadable-project": "a pyproject.toml the latest Poetry refuses to load",
            "unknown-lock-version": "a lock-version this hook does not know",
        },
        require_serial=True,
    ),
    Rule(
        id="pdm-lock",
        description="a PDM project has a pdm.lock whose content_hash is what the current PDM computes",
        files=r"(^|/)(pyproject\.toml|pdm\.lock)$",
        scope="project",
        kinds={
            "missing-lock": "a PDM project without pdm.lock",
            "orphan-lock": "a pdm.lock without pyproject.toml",
            "stale-lock": "the lock's content_hash is not the pyproject's",
            "older-tool-lock": "the lock matches only what an older PDM hashed",
            "unreadable-lock-version": "a lock_version PDM 2 cannot read (none, PDM 1.x's, or newer than 4.5)",
            "not-judged": "a lock PDM judges by its recorded lock_inputs, or a pyproject PDM converts from Poetry or Flit (a note)",
        },
        require_serial=True,
    ),
    Rule(
        id="uv-lock",
        description="a uv project has a uv.lock that `uv lock --check` would accept, judged without uv",
        files=r"(^|/)(pyproject\.toml|uv\.lock)$",
        scope="uv-project",
        kinds={
            "missing-lock": "a project with [tool.uv] but no uv.lock",
            "orphan-lock": "a uv.lock without pyproject.toml",
            "stale-lock": "`uv lock --check` would reject the lock",
            "not-judged": "part of the lock cannot be judged statically (a note unless `--strict`)",
            "ignored-lock": "a uv.lock beside a workspace member, which uv ignores for the root's (a note)",
            "stale-for-pin": "the uv release the build pins rejects a lock uv 0.13.9 accepts (a [tool.uv] setting it cannot read, a required-version it does not satisfy)",
        },
        require_serial=True,
        options=(Option("strict", "also fail when part of the lock cannot be judged statically (dynamic metadata, settings from uv.toml or UV_*)"),),
    ),
    Rule(
        id="lock-tool-version",
        description="the Poetry or uv release the build pins reads the lock's format, which no newer release wrote and no older one lowered against git HEAD",
        files=r"(^|/)(poetry\.lock|uv\.lock|pyproject\.toml|\.platform\.app\.ya?ml)$",
        scope="project",
        kinds={
            "unreadable-lock": "the pinned release cannot read the lock's lock-version",
            "newer-lock": "the lock was written by a newer release than the pinned one (lock-version, revision, header)",
            "format-downgraded": "the lock's format went down against git HEAD's (uv revision or version, Poetry lock-version; an older Poetry minor release in the header, a note): an older tool rewrote it",
        },
        require_serial=True,
    ),
    Rule(
        id="conda-env-pinned",
        description="every dependency of a conda environment.yml, and of its pip: list, names one version",
        files=r"(^|/)environment\.ya?ml$",
        scope="file",
        kinds={
            "unpinned": "a conda package, or a `pip:` requirement, that allows more than one release",
            "mutable-url": "a `pip:` VCS URL not at a full commit, or an archive URL without a hash",
            "missing-hash": "a `pip:` requirement without `--hash` where hashes are required",
            "unparsable-line": "a `pip:` line pip cannot parse",
        },
    ),
    Rule(
        id="requirements-lock-sync",
        description="a requirements file exported from a lock pins the lock's versions and misses none of its packages",
        files=rf"(?:{REQUIREMENTS_FILES})|(^|/)(poetry\.lock|uv\.lock|Pipfile\.lock|pdm\.lock|[^/]+\.in)$",
        scope="export",
        kinds={
            "version-mismatch": "an exported pin is not the version the lock has",
            "not-in-lock": "an exported pin names a package the lock does not lock",
            "missing-package": "a package the lock installs for the exported groups is not exported",
            "input-not-satisfied": "a pip-compile output pin that its `.in` file no longer allows, or misses",
        },
        require_serial=True,
    ),
    Rule(
        id="pylock",
        description="a pylock.toml (PEP 751) is valid and in step with the uv.lock, Pipfile.lock or inputs it was made from",
        files=r"(^|/)pylock(\.[^/]+)?\.toml$",
        scope="file",
        kinds={
            "invalid-name": "a file name PEP 751 does not allow (`pylock.<name>.toml` with a dot in the name)",
            "stale": "it differs from what its uv.lock exports, or from the Pipfile.lock pipenv wrote it with",
            "input-not-satisfied": "a direct requirement of its inputs is not locked, or its locked version or marker does not satisfy it",
            "missing-source": "the uv.lock, Pipfile.lock or pyproject.toml it was made from is not there",
            "not-judged": "a note: what was not compared (markers too complex, packaging without `packaging.pylock`, a newer minor `lock-version` than packaging reads)",
        },
    ),
    Rule(
        id="platform-pip-pinned",
        description="a Platform.sh/Upsun Python app builds with one exact pip, not the image's or the newest",
        files=PLATFORM_FILES,
        scope="app",
        kinds={
            "pip-unpinned": "`dependencies.python3.pip`, or a hook's `pip install pip…`, allows more than one pip release",
            "pip-upgraded": "a hook installs or upgrades pip without a version, so it gets the newest",
            "pip-version-unset": "a hook installs `pip==$VARIABLE` and variables.env does not set the variable to one version",
            "image-pip": "nothing pins pip: the build uses whatever pip the image carries",
        },
        require_serial=True,
    ),
    Rule(
        id="platform-tool-pinned",
        description="pipenv, Poetry, uv, PDM and every `dependencies` package are pinned to one version, and the tools installed where used",
        files=PLATFORM_FILES,
        scope="app",
        kinds={
            "tool-unpinned": "`dependencies.python3` or a hook installs pipenv, Poetry, uv or PDM without one exact version",
            "tool-wrong-key": "pipenv, Poetry, uv or PDM declared under Python 2's `dependencies.python` on a Python 3 image",
            "dependency-unpinned": "another package under `dependencies.python3` or `python` without one exact version (`gunicorn: '*'`)",
            "installer-unpinned": "Poetry's or uv's installer without a version, or a `-latest-` conda installer",
            "installer-moving": "Poetry's installer fetched from a branch of a GitHub repository (`…/master/install-poetry.py`)",
            "tool-not-installed": "the hooks or start commands run pipenv, Poetry, uv or PDM, and nothing installs it",
        },
        require_serial=True,
    ),
    Rule(
        id="platform-poetry-env",
        description="an app using Poetry keeps its virtualenv in the app and finds Poetry on PATH after the build",
        files=PLATFORM_FILES,
        scope="app",
        kinds={
            "poetry-env-outside-app": "variables.env does not set POETRY_VIRTUALENVS_IN_PROJECT and POETRY_VIRTUALENVS_CREATE to true",
            "poetry-env-disabled": "a hook runs `poetry config virtualenvs.create false`",
            "poetry-not-on-path": "Poetry is in /app/.local/bin, used after the build, and `.environment` does not put it on PATH",
            "fix-refused": "`--fix` wrote nothing, as the edit would not be safe (a shared anchor or merge key; a read-only, hard-linked or out-of-repository file): add the variables by hand",
        },
        require_serial=True,
        fixable=True,
    ),
    Rule(
        id="platform-build-hook",
        description="the build hook fails fast (set -e) and installs from the lock, never re-locking",
        files=PLATFORM_FILES,
        scope="app",
        kinds={
            "no-errexit": "the build hook installs before any `set -e`",
            "install-by-name": "`pip install NAME` without `==`, outside any requirements file or lock",
            "missing-requirements-file": "`pip install -r FILE` names a file the app root does not have",
            "lock-ignored": "`pipenv install --skip-lock`",
            "relocks-in-build": "the build adds packages or changes the lock (`poetry lock`, `uv add`, `pipenv install NAME`)",
            "lock-not-enforced": "an install that re-locks a stale lock instead of failing (`pipenv install` without `--deploy`, `uv sync` without `--locked`)",
            "missing-lock": "the build installs from a lock the app root does not have",
            "installs-nothing": "the app root has manifests and the build hook installs nothing",
            "shell-syntax": "a hook, or a repository script a hook runs under dash, is not valid POSIX shell (what `dash -n` refuses)",
            "errexit-defeated": "an install whose failure `set -e` does not see: `|| true`, piped into another command, an `if` condition, after `!`, not last in an `&&` list, in the background",
            "system-then-pipenv-run": "`pipenv install --system` in the build, then `pipenv run` after it, where no virtualenv exists",
        },
        require_serial=True,
    ),
    Rule(
        id="platform-python-version",
        description="the app's python:X.Y satisfies every Python version its manifests declare, and its hooks call that Python",
        files=PLATFORM_FILES,
        scope="app",
        kinds={
            "python-mismatch": "a Python version a manifest declares does not allow the app's `python:X.Y`",
            "other-python-command": "a hook calls `pythonX.Y` or `pipX.Y` for another Python than the app's",
            "retired-runtime": "`type: python:X.Y` (or `python@X.Y` in a stack) is a Python the platform has retired",
        },
        require_serial=True,
    ),
    Rule(
        id="platform-config-valid",
        description="app configs parse and hold their settings where the platform reads them",
        files=PLATFORM_FILES,
        scope="app",
        kinds={
            "duplicate-app": "two configs define an app of the same name",
            "misplaced-hook": "a `build`, `deploy` or `post_deploy` script (or a `build.commands` list) directly under the app, not under `hooks:`",
            "missing-source-root": "`source.root` names a directory that does not exist",
            "default-source-root": "an applications.yaml app without `source.root` (a note)",
            "missing-type": "an app with neither `type` nor a composable `stack`",
            "python2-dependencies": "`dependencies.python` or `python2` on a Python 3 image",
            "ignored-beside-stack": "`dependencies`, `build` or `runtime` next to a composable `stack`",
            "unknown-key": "a key the platform does not document at that place (under the app, `hooks`, `build`, `web`, `source`, a worker, a cron)",
            "misplaced-key": "a documented key at the wrong level (`start` directly under the app, `flavor` under `hooks`, `dependencies` under `web`)",
            "wrong-type": "a documented key whose value has the wrong type (`hooks: |` a string, `disk: '2048'`)",
        },
        require_serial=True,
    ),
    Rule(
        id="platform-install-in-build",
        description="packages are installed in the build hook only, never on the read-only deployed app",
        files=PLATFORM_FILES,
        scope="app",
        kinds={
            "install-at-runtime": "a deploy hook, start command, worker or cron installs packages",
        },
        require_serial=True,
    ),
    Rule(
        id="platform-one-manager",
        description="an app root's locks and its build hook agree on one package manager",
        files=PLATFORM_FILES,
        scope="app",
        kinds={
            "two-managers": "the app root's lock calls for one manager and the build installs with another",
            "stray-requirements": "a requirements.txt beside another manager's lock that the build does not install from",
        },
        require_serial=True,
    ),
)

BY_ID: dict[str, Rule] = {rule.id: rule for rule in RULES}


def rule_of_module(module: str) -> Rule:
    """The rule implemented by `module`: a rule module passes its `__file__`."""
    name = os.path.splitext(os.path.basename(module))[0].rpartition(".")[2]
    return BY_ID[name.replace("_", "-")]
