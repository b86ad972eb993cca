"""The platform rules on the guide's own examples, on the shapes configs take, on bad input, and
`platform-poetry-env --fix`."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from hooks.catalogue import PLATFORM_FILES, RULES
from hooks.cli import main as lockguard
from hooks.entry_points import platform_poetry_env as poetry_env
from hooks.models import shell
from tests.conftest import tree_digest

PLATFORM_RULES = [rule.id for rule in RULES if rule.files == PLATFORM_FILES]


def write(root: Path, files: dict[str, str]) -> None:
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content)


def findings(capsys: pytest.CaptureFixture[str], rule: str, root: str = ".") -> tuple[int, list[str]]:
    code = lockguard([root, "--select", rule])
    return code, capsys.readouterr().out.splitlines()


# -- the guide's examples (Platform.sh "Manage Python dependencies"), as app configs -------------
# Each is the guide's snippet for a single-runtime app; the Poetry ones add the guide's variables.

GUIDE = {
    "pip-specific": (
        "name: app\ntype: 'python:3.9'\nvariables:\n  env:\n    PIP_VERSION: '22.3.1'\n"
        "hooks:\n  build: |\n    # Fail the build if any errors occur\n    set -eu\n\n"
        "    # Download a specific version of pip\n    python3.9 -m pip install pip==$PIP_VERSION\n\n"
        "    # Install dependencies\n    pip install -r requirements.txt\n"
    ),
    "pip-latest": (
        "name: app\ntype: 'python:3.9'\nhooks:\n  build: |\n    # Fail the build if any errors occur\n    set -eu\n\n"
        "    # Download the latest version of pip\n    python3.9 -m pip install --upgrade pip\n\n"
        "    # Install dependencies\n    pip install -r requirements.txt\n"
    ),
    "pipenv-specific": (
        "name: app\ntype: 'python:3.9'\ndependencies:\n  python3:\n    pipenv: '2022.12.19'\n"
        "variables:\n  env:\n    PIP_VERSION: '22.3.1'\n"
        "hooks:\n  build: |\n    set -eu\n    python3.9 -m pip install pip==$PIP_VERSION\n    pipenv install --deploy\n"
    ),
    "pipenv-latest": (
        "name: app\ntype: 'python:3.9'\ndependencies:\n  python3:\n    pipenv: '*'\nhooks:\n  build: |\n    set -eu\n    python3.9 -m pip install --upgrade pip\n    pipenv install --deploy\n"
    ),
    "poetry-latest": (
        "name: app\ntype: 'python:3.9'\ndependencies:\n  python3:\n    poetry: '*'\n"
        "variables:\n  env:\n    POETRY_VIRTUALENVS_IN_PROJECT: true\n    POETRY_VIRTUALENVS_CREATE: true\n"
        "hooks:\n  build: |\n    set -eu\n    poetry install\n"
        "web:\n  commands:\n    start: poetry run gunicorn -w 4 -b unix:$SOCKET app.wsgi\n"
    ),
    "poetry-range": (
        "name: app\ntype: 'python:3.9'\ndependencies:\n  python3:\n    poetry: '>=1.8'\n"
        "variables:\n  env:\n    POETRY_VIRTUALENVS_IN_PROJECT: true\n    POETRY_VIRTUALENVS_CREATE: true\n"
        "hooks:\n  build: |\n    set -eu\n    poetry install\n"
        "web:\n  commands:\n    start: poetry run gunicorn -w 4 -b unix:$SOCKET app.wsgi\n"
    ),
}
MANIFESTS = {"requirements.txt": "django==4.1.4\n", "Pipfile": '[packages]\ndjango = "==4.1.4"\n', "Pipfile.lock": "{}", "pyproject.toml": "", "poetry.lock": ""}


@pytest.mark.parametrize(
    ("example", "rule", "fails"),
    [
        ("pip-specific", "platform-pip-pinned", False),
        ("pip-specific", "platform-tool-pinned", False),
        ("pip-latest", "platform-pip-pinned", True),
        ("pipenv-specific", "platform-pip-pinned", False),
        ("pipenv-specific", "platform-tool-pinned", False),
        ("pipenv-latest", "platform-pip-pinned", True),
        ("pipenv-latest", "platform-tool-pinned", True),
        ("poetry-range", "platform-tool-pinned", True),
        ("poetry-latest", "platform-tool-pinned", True),
        ("poetry-range", "platform-poetry-env", False),
        ("poetry-latest", "platform-poetry-env", False),
        ("pip-specific", "platform-build-hook", False),
        ("pipenv-specific", "platform-build-hook", False),
    ],
)
def test_the_guide_s_examples(in_tmp: Path, capsys: pytest.CaptureFixture[str], example: str, rule: str, fails: bool) -> None:
    write(in_tmp, {".platform.app.yaml": GUIDE[example], **MANIFESTS})
    code, out = findings(capsys, rule)
    assert code == int(fails), out
    assert all(line.startswith(".platform.app.yaml:") and f" {rule} app `app`" in line for line in out)


def test_latest_pip_finding_names_the_line_and_the_edit(in_tmp: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(in_tmp, {".platform.app.yaml": GUIDE["pip-latest"], **MANIFESTS})
    assert findings(capsys, "platform-pip-pinned") == (
        1,
        [
            ".platform.app.yaml:9:1: platform-pip-pinned app `app`: `python3.9 -m pip install --upgrade pip` upgrades to the newest pip, "
            "which changes from one build to the next: add `PIP_VERSION: 'X.Y.Z'` under variables.env and run "
            "`python3.9 -m pip install pip==$PIP_VERSION` in the build hook"
        ],
    )


def test_poetry_range_finding(in_tmp: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(in_tmp, {".platform.app.yaml": GUIDE["poetry-range"], **MANIFESTS})
    code, out = findings(capsys, "platform-tool-pinned")
    assert out == [
        ".platform.app.yaml:5:1: platform-tool-pinned app `app`: `dependencies.python3.poetry: '>=1.8'` installs whatever poetry release is newest: pin one, `poetry: 'X.Y.Z'` (your `poetry --version`)"
    ]


# -- shapes: the three config forms, sub-folders, includes, anchors ------------------------------

BUILD = "hooks:\n  build: |\n    pip install --upgrade pip\n"


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        pytest.param({"backend/.platform.app.yaml": "name: api\ntype: python:3.12\n" + BUILD}, ["backend/.platform.app.yaml:5:1 api"], id="app-in-sub-folder"),
        pytest.param(
            {".platform/applications.yaml": "- name: api\n  type: python:3.12\n  source: {root: backend}\n  hooks:\n    build: pip install -U pip\n", "backend/x": ""},
            [".platform/applications.yaml:5:1 api"],
            id="applications-list",
        ),
        pytest.param(
            {".platform/applications.yaml": "api:\n  type: python:3.12\n  source:\n    root: backend\n  hooks:\n    build: pip install -U pip\n", "backend/x": ""},
            [".platform/applications.yaml:6:1 api"],
            id="applications-map",
        ),
        pytest.param(
            {".platform/applications.yaml": "- !include api.app.yaml\n", ".platform/api.app.yaml": "name: api\ntype: python:3.12\n" + BUILD},
            [".platform/api.app.yaml:5:1 api"],
            id="include-yaml",
        ),
        pytest.param(
            {".platform.app.yaml": "name: api\ntype: python:3.12\nhooks:\n  build: !include\n    type: string\n    path: build.sh\n", "build.sh": "set -e\npip install -U pip\n"},
            ["build.sh:2:1 api"],
            id="include-string-hook",
        ),
        pytest.param(
            {".upsun/config.yaml": "applications:\n  api:\n    type: python:3.12\n    hooks: &hooks\n      build: pip install -U pip\n  worker:\n    type: python:3.12\n    hooks: *hooks\n"},
            [".upsun/config.yaml:5:1 api", ".upsun/config.yaml:5:1 worker"],
            id="upsun-anchor-shared-hooks",
        ),
        pytest.param(
            {
                ".upsun/a.yaml": "applications:\n  api:\n    type: python:3.12\n    hooks:\n      build: pip install -U pip\n",
                ".upsun/b.yaml": "applications:\n  web:\n    type: python:3.12\n    hooks:\n      <<: {build: pip install -U pip}\n",
            },
            [".upsun/a.yaml:5:1 api", ".upsun/b.yaml:4:1 web"],
            id="upsun-two-files-merge-key",
        ),
        pytest.param({".upsun/config.yaml": "applications:\n  site:\n    type: nodejs:22\n    hooks:\n      build: npm ci\n"}, [], id="not-python"),
        pytest.param({"a/b/c/d/e/.platform.app.yaml": "name: deep\ntype: python:3.12\n" + BUILD}, [], id="too-deep-for-the-platform"),
    ],
)
def test_config_shapes(in_tmp: Path, capsys: pytest.CaptureFixture[str], files: dict[str, str], expected: list[str]) -> None:
    write(in_tmp, files)
    _, out = findings(capsys, "platform-pip-pinned")
    assert [line.split(": platform-pip-pinned app `")[0].rsplit(":", 0)[0] + " " + line.split("app `")[1].split("`")[0] for line in out] == expected


def test_hooks_commands_and_directories() -> None:
    commands = shell.split_script(
        "set -eu\ncd backend && pip install -r requirements.txt  # deps\n\\\n# pip install x\ncurl -sSL https://x | python3 - \\\n  --version 1.2\n", 10, "cfg", "hooks.build"
    )
    assert [(c.line, c.cwd, c.text) for c in commands] == [
        (10, "", "set -eu"),
        (11, "backend", "cd backend"),
        (11, "backend", "pip install -r requirements.txt"),
        (14, "backend", "curl -sSL https://x"),
        (14, "backend", "python3 - --version 1.2"),
    ]


@pytest.mark.parametrize(
    ("line", "script"),
    [
        ("./install.sh", "install.sh"),
        ("$PLATFORM_APP_DIR/.platform.build.sh", ".platform.build.sh"),
        ("${PLATFORM_APP_DIR}/bin/build.sh", "bin/build.sh"),
        ("/app/build.sh", "build.sh"),
        ("bash scripts/build", "scripts/build"),
        ("sh -e build", "build"),
        (". ./env", "env"),
        ("source scripts/env.sh", "scripts/env.sh"),
        ("cd backend && bash build.sh", "backend/build.sh"),
        ("sh -c 'pip install x'", None),
        ("curl -sSL https://x | sh", None),
        ("curl -sSL https://x | sh -s -- -y", None),
        (". $NVM_DIR/nvm.sh", None),
        ("./build", None),  # not a `.sh` run directly: maybe a program
        ("python build.py", None),
    ],
)
def test_scripts_a_hook_runs(line: str, script: str | None) -> None:
    assert shell.split_script(line, 1, "cfg", "hooks.build")[-1].script_path() == script


# -- bad input --------------------------------------------------------------------------------

BOMB = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(f"{chr(98 + i)}: &{chr(98 + i)} [" + ", ".join([f"*{chr(97 + i)}"] * 9) + "]\n" for i in range(9))


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        pytest.param({".platform.app.yaml": "name: app\ntype: python:3.12\nhooks:\n  build: |\n    set -e\n  ...\n"}, ".platform.app.yaml:7:1: {rule} error: is not valid YAML", id="invalid-yaml"),
        pytest.param({".platform.app.yaml": BOMB}, ".platform.app.yaml:1:1: {rule} error: expands to more than 100,000 nodes", id="alias-bomb"),
        pytest.param({".platform.app.yaml": "- name: app\n"}, ".platform.app.yaml:1:1: {rule} error: is not a mapping of app settings", id="list-where-map"),
        pytest.param({".upsun/config.yaml": "applications: [a, b]\n"}, ".upsun/config.yaml:1:1: {rule} error: `applications` is not a mapping", id="applications-list-in-upsun"),
        pytest.param({".platform.app.yaml": "name: app\nhooks:\n  build: pip install -U pip\n"}, None, id="entry-without-type"),
        pytest.param({".platform/applications.yaml": "- name: app\n  type: python:3.12\n  source: {root: nowhere}\n"}, None, id="missing-source-root"),
        pytest.param({".platform.app.yaml": "name: a\nname: b\n"}, ".platform.app.yaml:2:1: {rule} error: is not valid YAML: found duplicate key", id="duplicate-key"),
        pytest.param(
            {".platform/applications.yaml": "- !include ../../outside.yaml\n"},
            ".platform/applications.yaml:1:1: {rule} error: includes '../../outside.yaml', which is outside the repository",
            id="include-outside",
        ),
    ],
)
@pytest.mark.parametrize("rule", PLATFORM_RULES)
def test_bad_config_is_one_line_never_a_traceback(in_tmp: Path, capsys: pytest.CaptureFixture[str], files: dict[str, str], expected: str | None, rule: str) -> None:
    write(in_tmp, files)
    before = tree_digest(in_tmp)
    start = time.perf_counter()
    code, out = findings(capsys, rule)
    assert time.perf_counter() - start < 5
    if expected is None:
        assert all(" error: " not in line for line in out)
    else:
        assert code == 1 and len(out) == 1 and out[0].startswith(expected.format(rule="lockguard")), out  # the umbrella says an unreadable file once, as lockguard
    assert tree_digest(in_tmp) == before


# -- platform-poetry-env --fix ---------------------------------------------------------------

NO_VARIABLES = "# keep this comment\nname: app\ntype: 'python:3.12'  # the image\ndependencies:\n  python3:\n    poetry: '2.1.3'\nhooks:\n  build: |\n    set -eu\n    poetry install\n"


@pytest.mark.parametrize(
    ("config", "expected"),
    [
        pytest.param(
            NO_VARIABLES,
            "# keep this comment\nname: app\nvariables:\n  env:\n    POETRY_VIRTUALENVS_IN_PROJECT: true\n    POETRY_VIRTUALENVS_CREATE: true\ntype: 'python:3.12'  # the image\n",
            id="no-variables",
        ),
        pytest.param(
            NO_VARIABLES.replace("dependencies:", "variables:\n    env:\n        DJANGO: \"x\"   # quoted\n        POETRY_VIRTUALENVS_CREATE: 'true'\ndependencies:"),
            "variables:\n    env:\n        DJANGO: \"x\"   # quoted\n        POETRY_VIRTUALENVS_CREATE: 'true'\n        POETRY_VIRTUALENVS_IN_PROJECT: true\ndependencies:",
            id="into-existing-env",
        ),
        pytest.param(
            NO_VARIABLES.replace("dependencies:", "variables:\n  python:\n    X: 1\ndependencies:"),
            "variables:\n  env:\n    POETRY_VIRTUALENVS_IN_PROJECT: true\n    POETRY_VIRTUALENVS_CREATE: true\n  python:\n    X: 1\n",
            id="variables-without-env",
        ),
    ],
)
def test_fix_adds_the_variables_and_keeps_the_rest(in_tmp: Path, capsys: pytest.CaptureFixture[str], config: str, expected: str) -> None:
    (in_tmp / ".platform.app.yaml").write_bytes(config.replace("\n", "\r\n").encode())
    assert poetry_env(["--fix", ".platform.app.yaml"]) == 1
    assert "added them (--fix)" in capsys.readouterr().out
    fixed = (in_tmp / ".platform.app.yaml").read_bytes()
    assert b"\n" not in fixed.replace(b"\r\n", b"")  # CRLF kept
    assert expected in fixed.decode().replace("\r\n", "\n")
    # Idempotent, and the result passes the rule.
    assert poetry_env(["--fix", ".platform.app.yaml"]) == 0
    assert poetry_env([".platform.app.yaml"]) == 0
    assert (in_tmp / ".platform.app.yaml").read_bytes() == fixed


def test_without_fix_nothing_is_written(in_tmp: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (in_tmp / ".platform.app.yaml").write_text(NO_VARIABLES)
    before = tree_digest(in_tmp)
    assert poetry_env([".platform.app.yaml"]) == 1
    assert "(or run this hook with --fix)" in capsys.readouterr().out
    assert tree_digest(in_tmp) == before


def test_fix_leaves_a_flow_style_mapping_alone(in_tmp: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (in_tmp / ".platform.app.yaml").write_text("{name: app, type: 'python:3.12', hooks: {build: poetry install}}\n")
    before = tree_digest(in_tmp)
    assert poetry_env(["--fix", ".platform.app.yaml"]) == 1
    assert "(or run this hook with --fix)" in capsys.readouterr().out
    assert tree_digest(in_tmp) == before


@pytest.mark.parametrize(
    ("environment", "variables", "fails"),
    [
        pytest.param(None, "", True, id="no-environment-file"),
        pytest.param('export PATH="/app/.local/bin:$PATH"\n', "", False, id="unconditional"),
        pytest.param('if [ -n "$POETRY_VERSION" ]; then\n    export PATH="/app/.local/bin:$PATH"\nfi\n', "", True, id="guide-snippet-guard-never-set"),
        pytest.param('if [ -n "$POETRY_VERSION" ]; then\n    export PATH="/app/.local/bin:$PATH"\nfi\n', "    POETRY_VERSION: '1.8.5'\n", False, id="guard-set"),
    ],
)
def test_poetry_on_path_after_the_build(in_tmp: Path, capsys: pytest.CaptureFixture[str], environment: str | None, variables: str, fails: bool) -> None:
    config = (
        "name: app\ntype: 'python:3.12'\nvariables:\n  env:\n    POETRY_VIRTUALENVS_IN_PROJECT: true\n    POETRY_VIRTUALENVS_CREATE: true\n"
        + variables
        + "hooks:\n  build: |\n    set -eu\n    curl -sSL https://install.python-poetry.org | python3 - --version 1.8.5\n    poetry install\n"
        + "  deploy: poetry run python manage.py migrate\n"
    )
    write(in_tmp, {".platform.app.yaml": config, **({".environment": environment} if environment is not None else {})})
    code, out = findings(capsys, "platform-poetry-env")
    assert code == int(fails), out
    if fails:
        assert "runs `poetry run python manage.py migrate` after the build, but Poetry is in /app/.local/bin" in out[0]


# -- platform-config-valid, platform-install-in-build, platform-one-manager ---------------------


@pytest.mark.parametrize(
    ("files", "rule", "expected"),
    [
        pytest.param(
            {".platform.app.yaml": "name: app\ntype: python:3.12\ndeploy: python manage.py migrate\n"},
            "platform-config-valid",
            [".platform.app.yaml:3:1: platform-config-valid app `app`: `deploy:` sits directly under the app"],
            id="deploy-at-app-level",
        ),
        pytest.param(
            {".platform.app.yaml": "name: app\ntype: python:3.12\nsource:\n  root: backend\n"},
            "platform-config-valid",
            [".platform.app.yaml:4:1: platform-config-valid app `app`: source.root 'backend' does not exist"],
            id="missing-root",
        ),
        pytest.param(
            {".platform.app.yaml": "name: app\ntype: python:3.12\ndependencies:\n  python2:\n    pipenv: '2024.4.1'\n"},
            "platform-config-valid",
            [".platform.app.yaml:4:1: platform-config-valid app `app`: `dependencies.python2` installs with Python 2's pip"],
            id="python2-key",
        ),
        pytest.param(
            {".upsun/config.yaml": "applications:\n  app:\n    stack: [python@3.12]\n    dependencies:\n      python3: {pipenv: '2024.4.1'}\n"},
            "platform-config-valid",
            [".upsun/config.yaml:4:1: platform-config-valid app `app`: `dependencies` is ignored next to a composable `stack`"],
            id="dependencies-beside-stack",
        ),
        pytest.param(
            {".platform.app.yaml": "name: app\ntype: python:3.12\n", "sub/.platform.app.yaml": "name: app\ntype: python:3.12\n"},
            "platform-config-valid",
            ["sub/.platform.app.yaml:1:1: platform-config-valid defines app 'app' again (also in .platform.app.yaml:1)"],
            id="duplicate-app",
        ),
        pytest.param(
            {".platform.app.yaml": "name: app\ntype: python:3.12\nweb:\n  commands:\n    start: pip install gunicorn && gunicorn app\n"},
            "platform-install-in-build",
            [".platform.app.yaml:5:1: platform-install-in-build app `app`: `pip install gunicorn` installs in web.commands.start"],
            id="install-at-start",
        ),
        pytest.param(
            {".platform.app.yaml": "name: app\ntype: python:3.12\nworkers:\n  queue:\n    commands:\n      start: uv sync && uv run --no-sync celery worker\n"},
            "platform-install-in-build",
            [".platform.app.yaml:6:1: platform-install-in-build app `app`: `uv sync` installs in workers.queue.commands.start"],
            id="install-in-worker",
        ),
        pytest.param({".platform.app.yaml": "name: app\ntype: python:3.12\nhooks:\n  post_deploy: poetry run python manage.py migrate\n"}, "platform-install-in-build", [], id="running-is-fine"),
        pytest.param(
            {".platform.app.yaml": "name: app\nhooks:\n  build: pip install -r requirements.txt\n"},
            "platform-config-valid",
            [".platform.app.yaml:1:1: platform-config-valid app `app` has no `type`"],
            id="no-type",
        ),
        pytest.param(
            {".platform.app.yaml": "name: app\ntype: python:3.12\nhooks:\n  build: |\n    set -eu\n    curl -sLO https://example.org/miniforge/Miniforge3-latest-Linux-x86_64.sh\n"},
            "platform-tool-pinned",
            [".platform.app.yaml:6:1: platform-tool-pinned app `app`: a `-latest-` conda installer changes with every release"],
            id="conda-latest-installer",
        ),
        pytest.param(
            {".platform.app.yaml": "name: app\ntype: python:3.12\nhooks:\n  build: poetry install\n", "poetry.lock": "", "requirements.txt": "a==1\n"},
            "platform-one-manager",
            ["requirements.txt:1:1: platform-one-manager no build installs this file: app `app` installs with poetry from poetry.lock, so it is not what the server installs"],
            id="stray-requirements",
        ),
        pytest.param(
            {".platform.app.yaml": "name: app\ntype: python:3.12\nhooks:\n  build: uv sync --locked\n", "uv.lock": "", "Pipfile.lock": "{}"},
            "platform-one-manager",
            [".platform.app.yaml:4:1: platform-one-manager app `app`: the app root has Pipfile.lock, but the build installs with uv"],
            id="pipfile-lock-first",
        ),
        pytest.param({".platform.app.yaml": "name: app\ntype: python:3.12\nhooks:\n  build: poetry install\n", "poetry.lock": ""}, "platform-one-manager", [], id="one-manager"),
    ],
)
def test_more_app_rules(in_tmp: Path, capsys: pytest.CaptureFixture[str], files: dict[str, str], rule: str, expected: list[str]) -> None:
    write(in_tmp, files)
    code, out = findings(capsys, rule)
    assert code == int(bool(expected))
    assert len(out) == len(expected) and all(line.startswith(prefix) for line, prefix in zip(out, expected)), out


@pytest.mark.parametrize(
    ("script", "directory"),
    [
        ("cd backend", "backend"),
        ("cd backend && cd ../api", "api"),
        ("cd .venv", ".venv"),
        ("cd $PLATFORM_APP_DIR/src", "src"),
        ("cd /app/src/..", ""),
        ("cd ..", ""),
        ("cd /tmp", ""),
        ("cd", ""),
    ],
)
def test_cd_is_followed_within_the_app(script: str, directory: str) -> None:
    commands = shell.split_script(script + "\npip install -r requirements.txt\n", 1, "cfg", "hooks.build")
    assert commands[-1].cwd == directory


@pytest.mark.parametrize(
    ("path", "config", "expected"),
    [
        pytest.param(
            ".upsun/config.yaml",
            "applications:\n  api:\n    type: python:3.12\n    hooks:\n      build: poetry install\n  web:\n    type: nodejs:22\n",
            "applications:\n  api:\n    type: python:3.12\n    variables:\n      env:\n        POETRY_VIRTUALENVS_IN_PROJECT: true\n        POETRY_VIRTUALENVS_CREATE: true\n    hooks:\n",
            id="upsun",
        ),
        pytest.param(
            ".platform/applications.yaml",
            "- name: api\n  type: python:3.12\n  hooks:\n    build: poetry install\n",
            "- name: api\n  variables:\n    env:\n      POETRY_VIRTUALENVS_IN_PROJECT: true\n      POETRY_VIRTUALENVS_CREATE: true\n  type: python:3.12\n",
            id="applications-list",
        ),
    ],
)
def test_fix_in_multi_app_files(in_tmp: Path, capsys: pytest.CaptureFixture[str], path: str, config: str, expected: str) -> None:
    write(in_tmp, {path: config})
    assert poetry_env(["--fix", path]) == 1
    assert (in_tmp / path).read_text().startswith(expected)
    assert poetry_env([path]) == 0
