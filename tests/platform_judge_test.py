"""Each platform rule's `judge(app, options)` on apps parsed from a YAML string: the kinds it
reports and the fixes it offers, without the command line (files are written only where the
rule judges the app root's manifests, in an empty directory)."""

from __future__ import annotations

import importlib
from pathlib import Path
from types import SimpleNamespace

import pytest

from hooks.catalogue import BY_ID, PLATFORM_FILES, RULES
from hooks.findings import COMMON_KINDS, Finding, Location
from hooks.models import app_config

APP = "name: app\ntype: python:3.12\n"
POETRY_ENV = "variables:\n  env:\n    POETRY_VIRTUALENVS_IN_PROJECT: true\n    POETRY_VIRTUALENVS_CREATE: true\n"


def build(script: str) -> str:
    return "hooks:\n  build: |\n" + "".join(f"    {line}\n" for line in script.split("\n"))


# (rule, config text, files in the app root, [(kind, fix command)] in the order judged). The
# config is `.platform.app.yaml` unless the text starts with `- ` (an applications.yaml list).
CASES: list[tuple[str, str, dict[str, str], list[tuple[str, str | None]]]] = [
    # platform-pip-pinned
    ("platform-pip-pinned", APP + build("set -eu\npip install -U pip"), {}, [("pip-upgraded", None)]),
    ("platform-pip-pinned", APP + "dependencies:\n  python3:\n    pip: '>=23'\n" + build("set -eu\npip install -r requirements.txt"), {}, [("pip-unpinned", None)]),
    ("platform-pip-pinned", APP + build("set -eu\npip install 'pip>=23'"), {}, [("pip-unpinned", None)]),
    ("platform-pip-pinned", APP + build("set -eu\npip install pip==$PIP_VERSION"), {}, [("pip-version-unset", None)]),
    ("platform-pip-pinned", APP + build("set -eu\npip install -r requirements.txt"), {}, [("image-pip", None)]),
    ("platform-pip-pinned", APP + "variables:\n  env:\n    PIP_VERSION: '24.3.1'\n" + build("set -eu\npip install pip==$PIP_VERSION"), {}, []),
    # platform-tool-pinned
    ("platform-tool-pinned", APP + "dependencies:\n  python3:\n    poetry: '*'\n", {}, [("tool-unpinned", None)]),
    ("platform-tool-pinned", APP + "dependencies:\n  python3:\n    uvicorn: '*'\n    gunicorn: '23.0.0'\n", {}, [("dependency-unpinned", None)]),
    ("platform-tool-pinned", APP + "dependencies:\n  python:\n    pipenv: '2018.10.13'\n" + build("set -eu\npipenv install --deploy"), {}, [("tool-wrong-key", None)]),
    ("platform-tool-pinned", "name: app\ntype: python:2.7\ndependencies:\n  python:\n    pipenv: '2018.10.13'\n", {}, []),
    ("platform-tool-pinned", APP + build("set -eu\npip install pipenv\npipenv install --deploy"), {}, [("tool-unpinned", None)]),
    ("platform-tool-pinned", APP + build("set -eu\ncurl -sSL https://install.python-poetry.org | python3 -\npoetry install"), {}, [("installer-unpinned", None)]),
    ("platform-tool-pinned", APP + build("set -eu\ncurl -sSL https://install.python-poetry.org | python3 - --version 2.1.3"), {}, []),
    ("platform-tool-pinned", APP + build("set -eu\ncurl -LsSf https://astral.sh/uv/install.sh | sh"), {}, [("installer-unpinned", None)]),
    (
        "platform-tool-pinned",
        APP + "variables:\n  env:\n    POETRY_VERSION: 1.1.13\n" + build("set -eu\ncurl -sSL https://raw.githubusercontent.com/python-poetry/poetry/master/install-poetry.py | python -"),
        {},
        [("installer-moving", None)],
    ),
    (
        "platform-tool-pinned",
        APP
        + build("set -eu\ncurl -sSL https://raw.githubusercontent.com/python-poetry/install.python-poetry.org/385616cd90816622a087450643fba971d3b46d8c/install-poetry.py | python - --version 1.8.5"),
        {},
        [],
    ),
    ("platform-tool-pinned", APP + build("set -eu\ncurl -LsSf https://astral.sh/uv/0.7.8/install.sh | sh"), {}, []),
    ("platform-tool-pinned", APP + build("set -eu\nwget https://x/Miniforge3-latest-Linux-x86_64.sh"), {}, [("installer-unpinned", None)]),
    ("platform-tool-pinned", APP + "web:\n  commands:\n    start: pipenv run gunicorn app\n", {}, [("tool-not-installed", None)]),
    ("platform-tool-pinned", APP + "dependencies:\n  python3:\n    pdm: '*'\n" + build("set -eu\npdm sync"), {}, [("tool-unpinned", None)]),
    ("platform-tool-pinned", APP + build("set -eu\npip install pdm\npdm sync"), {}, [("tool-unpinned", None)]),
    ("platform-tool-pinned", APP + build("set -eu\npdm sync"), {}, [("tool-not-installed", None)]),
    ("platform-tool-pinned", APP + build("set -eu\npip install pdm==2.29.4\npdm sync"), {}, []),
    ("platform-tool-pinned", APP + "dependencies:\n  python3:\n    pdm: '2.29.4'\n" + build("set -eu\npdm sync"), {}, []),
    # platform-poetry-env
    (
        "platform-poetry-env",
        APP + "dependencies:\n  python3:\n    poetry: '2.1.3'\n" + build("set -eu\npoetry install"),
        {},
        [("poetry-env-outside-app", "platform-poetry-env --fix .platform.app.yaml")],
    ),
    (
        "platform-poetry-env",
        APP + "variables:\n  env:\n    POETRY_VIRTUALENVS_IN_PROJECT: false\n    POETRY_VIRTUALENVS_CREATE: true\n" + build("poetry install"),
        {},
        [("poetry-env-outside-app", None)],
    ),
    ("platform-poetry-env", APP + POETRY_ENV + build("poetry config virtualenvs.create false\npoetry install"), {}, [("poetry-env-disabled", None)]),
    (
        "platform-poetry-env",
        APP + POETRY_ENV + build("curl -sSL https://install.python-poetry.org | python3 - --version 2.1.3") + "  deploy: poetry run ./migrate\n",
        {},
        [("poetry-not-on-path", None)],
    ),
    # platform-build-hook
    ("platform-build-hook", APP + build("pip install -r requirements.txt"), {}, [("no-errexit", None), ("missing-requirements-file", None)]),
    ("platform-build-hook", APP + build("set -eu\npip install requests"), {}, [("install-by-name", None)]),
    ("platform-build-hook", APP + build("set -eu\npipenv install"), {}, [("lock-not-enforced", None), ("missing-lock", "pipenv lock")]),
    ("platform-build-hook", APP + build("set -eu\npipenv install --skip-lock"), {}, [("lock-ignored", None), ("missing-lock", "pipenv lock")]),
    ("platform-build-hook", APP + build("set -eu\npipenv install requests"), {"Pipfile.lock": "{}"}, [("relocks-in-build", None)]),
    ("platform-build-hook", APP + build("set -eu\npoetry lock\npoetry install"), {}, [("relocks-in-build", None), ("missing-lock", "poetry lock")]),
    ("platform-build-hook", APP + build("set -eu\nuv sync"), {}, [("lock-not-enforced", None), ("missing-lock", "uv lock")]),
    ("platform-build-hook", APP + build("set -eu\nuv add requests\nuv sync --locked"), {"uv.lock": ""}, [("relocks-in-build", None)]),
    ("platform-build-hook", APP + build("set -eu\npdm install"), {}, [("lock-not-enforced", None), ("missing-lock", "pdm lock")]),
    ("platform-build-hook", APP + build("set -eu\npdm update\npdm sync"), {"pdm.lock": ""}, [("relocks-in-build", None)]),
    ("platform-build-hook", APP + build("set -eu\npdm install --frozen-lockfile"), {"pdm.lock": ""}, []),
    ("platform-build-hook", APP + build("set -eu\npip install -r pylock.toml"), {"pylock.toml": ""}, []),
    ("platform-build-hook", APP + build("set -eu\nuv pip sync pylock.toml"), {"pylock.toml": ""}, []),
    ("platform-build-hook", APP + build("set -eu\npip install -r pylock.toml"), {}, [("missing-requirements-file", None)]),
    ("platform-build-hook", APP + build("set -eu"), {"pylock.toml": ""}, [("installs-nothing", None)]),
    ("platform-build-hook", APP + build("uv pip sync pylock.toml"), {"pylock.toml": ""}, [("no-errexit", None)]),
    ("platform-build-hook", APP + build("pdm sync"), {"pdm.lock": ""}, [("no-errexit", None)]),
    ("platform-build-hook", APP + build("set -eu"), {"requirements.txt": "a==1\n"}, [("installs-nothing", None)]),
    ("platform-build-hook", APP + build("set -eu\npip install -r requirements.txt"), {"requirements.txt": "a==1\n"}, []),
    # a script the hook runs: its own `set -e` counts, and reaches the hook when its failure does
    ("platform-build-hook", APP + build("set -eu\nbash build.sh"), {"build.sh": "pip install -r requirements.txt\n", "requirements.txt": "a==1\n"}, [("no-errexit", None)]),
    ("platform-build-hook", APP + build("sh build.sh"), {"build.sh": "set -e\npip install -r requirements.txt\n", "requirements.txt": "a==1\n"}, []),
    ("platform-build-hook", APP + build("./build.sh\necho built"), {"build.sh": "set -e\npip install -r requirements.txt\n", "requirements.txt": "a==1\n"}, [("no-errexit", None)]),
    ("platform-build-hook", APP + build(". ./env.sh\npip install -r requirements.txt"), {"env.sh": "set -eu\n", "requirements.txt": "a==1\n"}, []),
    ("platform-build-hook", APP + build("set -eu\n$PLATFORM_APP_DIR/build.sh"), {"build.sh": "set -e\npip install gunicorn\n"}, [("install-by-name", None)]),
    # the scripts as dash reads them
    ("platform-build-hook", APP + build("set -eu\nif true; then\n  pip install -r requirements.txt\n"), {"requirements.txt": "a==1\n"}, [("shell-syntax", None)]),
    ("platform-build-hook", APP + build("set -eu\nsh build.sh"), {"build.sh": "set -e\necho 'built\n", "requirements.txt": "a==1\n"}, [("shell-syntax", None), ("installs-nothing", None)]),
    ("platform-build-hook", APP + build("set -eu\nbash build.sh\npip install -r requirements.txt"), {"build.sh": "[[ -d x ]] && a=(1 2)\n", "requirements.txt": "a==1\n"}, []),
    ("platform-build-hook", APP + build("set -eu\npip install -r requirements.txt || true"), {"requirements.txt": "a==1\n"}, [("errexit-defeated", None)]),
    ("platform-build-hook", APP + build("set -eu\npip install -r requirements.txt | tee log"), {"requirements.txt": "a==1\n"}, [("errexit-defeated", None)]),
    ("platform-build-hook", APP + build("set -eu\npip install -r requirements.txt || exit 1"), {"requirements.txt": "a==1\n"}, []),
    ("platform-build-hook", APP + build("pip install -r requirements.txt || true"), {"requirements.txt": "a==1\n"}, [("no-errexit", None)]),
    (
        "platform-build-hook",
        APP + build("set -eu\npipenv install --system --deploy") + "web:\n  commands:\n    start: pipenv run gunicorn app\n",
        {"Pipfile.lock": "{}"},
        [("system-then-pipenv-run", None)],
    ),
    ("platform-build-hook", APP + build("set -eu\npipenv install --deploy") + "web:\n  commands:\n    start: pipenv run gunicorn app\n", {"Pipfile.lock": "{}"}, []),
    # platform-python-version
    ("platform-python-version", APP + build("set -eu\npython3.11 -m pip install -r requirements.txt"), {}, [("other-python-command", None)]),
    ("platform-python-version", APP, {"Pipfile": '[requires]\npython_version = "3.11"\n'}, [("python-mismatch", "pipenv lock")]),
    ("platform-python-version", APP, {"pyproject.toml": '[project]\nname = "a"\nrequires-python = ">=3.13"\n', "uv.lock": ""}, [("python-mismatch", "uv lock")]),
    ("platform-python-version", APP, {".python-version": "3.11\n"}, [("python-mismatch", None)]),
    ("platform-python-version", APP, {"Pipfile": '[requires]\npython_version = "3.12"\n', ".python-version": "3.12.4\n"}, []),
    ("platform-python-version", "name: app\ntype: python:3.8\n", {}, [("retired-runtime", None)]),
    # platform-config-valid
    ("platform-config-valid", APP + "deploy: python manage.py migrate\n", {}, [("misplaced-hook", None)]),
    ("platform-config-valid", APP + "build:\n  commands:\n    - pip install -r requirements.txt\n", {}, [("misplaced-hook", None)]),
    ("platform-config-valid", APP + "build:\n  flavor: none\n", {}, []),
    ("platform-config-valid", "name: app\n", {}, [("missing-type", None)]),
    ("platform-config-valid", APP + "dependencies:\n  python2:\n    pipenv: '2024.4.1'\n", {}, [("python2-dependencies", None)]),
    ("platform-config-valid", "name: app\nstack: [python@3.12]\ndependencies:\n  python3: {pipenv: '2024.4.1'}\n", {}, [("ignored-beside-stack", None)]),
    ("platform-config-valid", APP + "source:\n  root: nowhere\n", {}, [("missing-source-root", None)]),
    ("platform-config-valid", "- name: app\n  type: python:3.12\n", {}, [("default-source-root", None)]),
    ("platform-config-valid", APP + "hook:\n  build: set -eu\n", {}, [("unknown-key", None)]),
    ("platform-config-valid", APP + "start: gunicorn app\n", {}, [("misplaced-key", None)]),
    ("platform-config-valid", APP + "disk: '2048'\n", {}, [("wrong-type", None)]),
    # platform-install-in-build
    ("platform-install-in-build", APP + "web:\n  commands:\n    start: pip install gunicorn && gunicorn app\n", {}, [("install-at-runtime", None)]),
    ("platform-install-in-build", APP + "hooks:\n  deploy: uv run --no-sync python manage.py migrate\n", {}, []),
    # platform-one-manager
    ("platform-one-manager", APP + build("set -eu\npoetry install"), {"poetry.lock": "", "requirements.txt": "a==1\n"}, [("stray-requirements", None)]),
    ("platform-one-manager", APP + build("set -eu\nuv sync --locked"), {"uv.lock": "", "Pipfile.lock": "{}"}, [("two-managers", None)]),
    ("platform-one-manager", APP + build("set -eu\npoetry install"), {"poetry.lock": ""}, []),
    ("platform-one-manager", APP + build("set -eu\npdm sync"), {"pdm.lock": "", "requirements.txt": "a==1\n"}, [("stray-requirements", None)]),
    ("platform-one-manager", APP + build("set -eu\npip install -r requirements.txt"), {"pdm.lock": "", "requirements.txt": "a==1\n"}, [("two-managers", None)]),
    ("platform-one-manager", APP + build("set -eu\npdm install --frozen-lockfile"), {"pdm.lock": ""}, []),
    ("platform-one-manager", APP + build("set -eu\npip install -r pylock.toml"), {"pylock.toml": "", "requirements.txt": "a==1\n"}, [("stray-requirements", None)]),
    ("platform-one-manager", APP + build("set -eu\nuv pip install -r requirements.txt"), {"pylock.toml": "", "requirements.txt": "a==1\n"}, [("two-managers", None)]),
    ("platform-one-manager", APP + build("set -eu\nuv pip sync pylock.toml"), {"pylock.toml": ""}, []),
    ("platform-one-manager", APP + build("set -eu\nuv pip sync pylock.toml"), {"uv.lock": "", "pylock.toml": ""}, [("two-managers", None)]),
]
OPTIONS = SimpleNamespace(fix=False, root=".")


def parse_app(text: str) -> app_config.App:
    path = ".platform/applications.yaml" if text.startswith("- ") else ".platform.app.yaml"
    apps, errors = app_config.parse(path, text)
    assert not errors and len(apps) == 1
    return apps[0]


def judge(rule: str, app: app_config.App) -> list[Finding]:
    return list(importlib.import_module(BY_ID[rule].module).judge(app, OPTIONS))


@pytest.mark.parametrize(("rule", "config", "files", "expected"), [pytest.param(*case, id=f"{case[0]}-{'-'.join(k for k, _ in case[3]) or 'clean'}-{i}") for i, case in enumerate(CASES)])
def test_judge_reports_kinds_and_fixes(in_tmp: Path, rule: str, config: str, files: dict[str, str], expected: list[tuple[str, str | None]]) -> None:
    for name, content in files.items():
        (in_tmp / name).write_text(content)
    found = judge(rule, parse_app(config))
    assert [(f.kind, f.fix.command if f.fix else None) for f in found] == expected, [str(f) for f in found]
    for item in found:
        assert item.rule == rule and item.kind in BY_ID[rule].kinds
        assert item.fix is not None and item.message.endswith(item.fix.text)  # every finding says its fix


def test_every_platform_kind_has_a_case() -> None:
    covered = {(rule, kind) for rule, _, _, expected in CASES for kind, _ in expected}
    covered.add(("platform-config-valid", "duplicate-app"))  # an app in two configs: its own test below
    covered.add(("platform-poetry-env", "fix-refused"))  # --fix on files: tests/fix_safety_test.py
    declared = {(rule.id, kind) for rule in RULES if rule.files == PLATFORM_FILES for kind in rule.kinds}
    assert declared - covered == set()
    assert not any(kind in COMMON_KINDS for rule in RULES for kind in rule.kinds)


def test_duplicate_app_points_at_the_other_definition(in_tmp: Path) -> None:
    app = parse_app(APP)
    app.config, app.redefines = "sub/.platform.app.yaml", ("sub/.platform.app.yaml", 1, ".platform.app.yaml", 1)
    (found,) = judge("platform-config-valid", app)
    assert (found.kind, found.fix.text, found.related) == ("duplicate-app", "rename one", (Location(".platform.app.yaml", 1, "the other definition"),))
    assert str(found) == "sub/.platform.app.yaml:1:1: platform-config-valid defines app 'app' again (also in .platform.app.yaml:1); the platform keeps one of them: rename one"


def test_python_mismatch_is_related_to_the_app_s_type(in_tmp: Path) -> None:
    (in_tmp / "Pipfile").write_text('[requires]\npython_version = "3.11"\n')
    (found,) = judge("platform-python-version", parse_app(APP))
    assert (found.path, found.line, found.related) == ("Pipfile", 2, (Location(".platform.app.yaml", 2, "the app's Python"),))
    assert found.fix.text == 'write `python_version = "3.12"` under [requires], then run `pipenv lock`'


def test_one_python_mismatch_on_pipfile_and_its_lock_is_one_finding(in_tmp: Path) -> None:
    (in_tmp / "Pipfile").write_text('[requires]\npython_version = "3.11"\n')
    (in_tmp / "Pipfile.lock").write_text('{\n  "_meta": {\n    "requires": {\n      "python_version": "3.11"\n    }\n  }\n}\n')
    (found,) = judge("platform-python-version", parse_app(APP))
    assert (found.path, found.related[1]) == ("Pipfile", Location("Pipfile.lock", 4, "Pipfile.lock's _meta.requires.python_version = '3.11'"))


def test_a_stale_pipfile_lock_alone_is_its_own_finding(in_tmp: Path) -> None:
    (in_tmp / "Pipfile").write_text('[requires]\npython_version = "3.12"\n')
    (in_tmp / "Pipfile.lock").write_text('{"_meta": {"requires": {"python_version": "3.11"}}}\n')
    (found,) = judge("platform-python-version", parse_app(APP))
    assert (found.path, found.fix.command) == ("Pipfile.lock", "pipenv lock")


def test_stray_requirements_is_related_to_the_lock(in_tmp: Path) -> None:
    for name in ("poetry.lock", "requirements.txt"):
        (in_tmp / name).write_text("")
    (found,) = judge("platform-one-manager", parse_app(APP + build("poetry install")))
    assert found.related == (Location("poetry.lock", 1, "poetry.lock"),)


@pytest.mark.parametrize("stack", ["'python@3.10'", "[python@3.10, python310Packages.pip]", "\n  - python@3.10: {}\n", "\n  runtimes: [python@3.10]\n"])
def test_the_python_of_a_composable_stack(in_tmp: Path, stack: str) -> None:
    app = parse_app(f"name: app\nstack: {stack}\n")
    assert app.python_version == "3.10" and app.is_python


def test_default_source_root_is_a_note(in_tmp: Path) -> None:
    (found,) = judge("platform-config-valid", parse_app("- name: app\n  type: python:3.12\n"))
    assert not found.fails


@pytest.mark.parametrize(
    ("config", "reference"),
    [
        pytest.param(APP + "source:\n  root: ../elsewhere\n", "source.root '../elsewhere' leads outside the repository", id="source-root"),
        pytest.param(APP + build("sh ../x.sh"), "`sh ../x.sh` runs '../x.sh', which is outside the repository", id="script"),
        pytest.param(APP + "hooks:\n  build: !include {type: string, path: ../x.sh}\n", "includes '../x.sh', which is outside the repository", id="include"),
    ],
)
def test_a_reference_outside_the_repository_is_an_error_not_an_app(in_tmp: Path, config: str, reference: str) -> None:
    apps, errors = app_config.parse(".platform.app.yaml", config)
    assert apps == [] and len(errors) == 1 and reference in errors[0].message


@pytest.mark.parametrize(
    ("config", "line", "why"),
    [
        pytest.param(APP + "hooks:\n  deploy: ./migrate\n  build: |\n    set -eu\n", 5, "installs nothing, and", id="hooks-build"),
        pytest.param(APP + "build: pip install -r requirements.txt\n", 3, "the script at line 3 sits directly under the app", id="misplaced-script"),
        pytest.param(APP + "build:\n  commands:\n    - pip install -r requirements.txt\n", 3, "`build.commands:` at line 4 is not a hook", id="build-commands"),
        pytest.param(APP + "hooks:\n  deploy: ./migrate\n", 3, "(there is none)", id="no-build-hook"),
    ],
)
def test_installs_nothing_points_at_the_build_hook_and_says_why(in_tmp: Path, config: str, line: int, why: str) -> None:
    (in_tmp / "requirements.txt").write_text("a==1\n")
    (found,) = judge("platform-build-hook", parse_app(config))
    assert (found.kind, found.line) == ("installs-nothing", line) and why in found.message


@pytest.mark.parametrize(
    ("files", "advice"),
    [
        pytest.param({"requirements.txt": "a==1\n"}, 'set `source: {root: "/"}`, the folder that holds its requirements.txt', id="repository-root"),
        pytest.param({"backend/Pipfile": ""}, 'set `source: {root: "backend"}`, the folder that holds its Pipfile', id="one-folder"),
        pytest.param({"a/Pipfile": "", "b/Pipfile": ""}, 'set `source: {root: "/"}` or the app\'s directory', id="two-folders"),
    ],
)
def test_default_source_root_proposes_the_folder_of_the_app_s_files(in_tmp: Path, files: dict[str, str], advice: str) -> None:
    for name, content in files.items():
        (in_tmp / name).parent.mkdir(exist_ok=True)
        (in_tmp / name).write_text(content)
    (found,) = judge("platform-config-valid", parse_app("- name: app\n  type: python:3.12\n"))
    assert found.fix.text == advice


@pytest.mark.parametrize(
    ("script", "installed"),
    [
        ("set -eu\npip install -r requirements.txt", {"requirements.txt"}),
        ("cd backend && pip install -r requirements/prod.txt -c constraints.txt", {"backend/requirements/prod.txt", "backend/constraints.txt"}),
        ("uv pip install --requirement=requirements.txt", {"requirements.txt"}),
        ("pip install -r $REQUIREMENTS\npipenv install --deploy", set()),
    ],
)
def test_the_requirements_files_a_build_installs(in_tmp: Path, script: str, installed: set[str]) -> None:
    assert parse_app(APP + build(script)).installed_requirements() == installed


def test_default_source_root_proposes_no_folder_for_another_runtime(in_tmp: Path) -> None:
    (in_tmp / "server").mkdir()
    (in_tmp / "server" / "requirements.txt").write_text("a==1\n")
    (found,) = judge("platform-config-valid", parse_app("- name: client\n  type: nodejs:18\n"))
    assert found.fix.text == 'set `source: {root: "/"}` or the app\'s directory'
