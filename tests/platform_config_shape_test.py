"""platform-config-valid on the shape of an app's config: keys the platform does not document,
documented keys at the wrong level, and values of the wrong type, in every config form; and
what the platform accepts (anchors and merge keys, `x-` and dotted custom keys, `!include`,
runtime-specific settings) left alone."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from hooks.catalogue import BY_ID
from tests.conftest import hook_main, tree_digest

RULE = "platform-config-valid"
APP = "name: app\ntype: 'python:3.12'\n"
HOOKS = "hooks:\n  build: |\n    set -eu\n    pip install -r requirements.txt\n"


def run(capsys: pytest.CaptureFixture[str], root: Path, files: dict[str, str]) -> tuple[int, list[str]]:
    for name, content in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(content)
    before = tree_digest(root)
    code = hook_main(BY_ID[RULE])(sorted(files))
    assert tree_digest(root) == before
    return code, capsys.readouterr().out.splitlines()


FAILING = [
    pytest.param(
        {".platform.app.yaml": APP + "hook:\n  build: |\n    set -eu\n"},
        ".platform.app.yaml:3:1: platform-config-valid app `app`: `hook:` is not a setting the platform documents directly under the app: did you mean `hooks:`?",
        id="typo-did-you-mean",
    ),
    pytest.param(
        {".platform.app.yaml": APP + "toolstack: 'python:flask'\n"},
        ".platform.app.yaml:3:1: platform-config-valid app `app`: `toolstack:` is not a setting the platform documents directly under the app:"
        " remove it, or check its name and place in the platform's app reference",
        id="unknown-no-suggestion",
    ),
    pytest.param(
        {".platform.app.yaml": APP + HOOKS + "web:\n  comands:\n    start: gunicorn app\n"},
        ".platform.app.yaml:8:1: platform-config-valid app `app`: `web.comands:` is not a setting the platform documents under `web:`: did you mean `commands:`?",
        id="typo-under-web",
    ),
    pytest.param(
        {".platform.app.yaml": APP + HOOKS + "web:\n  location:\n    /: {root: public}\n"},
        ".platform.app.yaml:8:1: platform-config-valid app `app`: `web.location:` is not a setting the platform documents under `web:`: did you mean `locations:`?",
        id="web-location",
    ),
    pytest.param(
        {".platform.app.yaml": APP + HOOKS + "start: gunicorn app\n"},
        ".platform.app.yaml:7:1: platform-config-valid app `app`: `start:` sits directly under the app, where the platform does not read it: move it under `web.commands:`",
        id="start-under-app",
    ),
    pytest.param(
        {".platform.app.yaml": APP + HOOKS + "commands:\n  start: gunicorn app\n"},
        ".platform.app.yaml:7:1: platform-config-valid app `app`: `commands:` sits directly under the app, where the platform does not read it: move it under `web:`",
        id="commands-under-app",
    ),
    pytest.param(
        {".platform.app.yaml": APP + HOOKS + "  flavor: none\n"},
        ".platform.app.yaml:7:1: platform-config-valid app `app`: `flavor:` sits under `hooks:`, where the platform does not read it: move it under `build:`",
        id="flavor-under-hooks",
    ),
    pytest.param(
        {".platform.app.yaml": APP + "hooks:\n  dependencies:\n    python3: {pipenv: '2024.4.1'}\n"},
        ".platform.app.yaml:4:1: platform-config-valid app `app`: `dependencies:` sits under `hooks:`, where the platform does not read it: move it directly under the app",
        id="dependencies-under-hooks",
    ),
    pytest.param(
        {".platform.app.yaml": APP + HOOKS + "web:\n  start: gunicorn app\n"},
        ".platform.app.yaml:8:1: platform-config-valid app `app`: `start:` sits under `web:`, where the platform does not read it: move it under `web.commands:`",
        id="start-under-web",
    ),
    pytest.param(
        {".platform.app.yaml": APP + "web:\n  build: |\n    set -eu\n"},
        ".platform.app.yaml:4:1: platform-config-valid app `app`: `build:` sits under `web:`, where the platform does not read it: move it under `hooks:`",
        id="build-under-web",
    ),
    pytest.param(
        {".platform.app.yaml": APP + "hooks: |\n  set -eu\n  pip install -r requirements.txt\n"},
        ".platform.app.yaml:3:1: platform-config-valid app `app`: `hooks:` is a string, where the platform expects a mapping: write `hooks:` as a mapping",
        id="hooks-a-string",
    ),
    pytest.param(
        {".platform.app.yaml": APP + HOOKS + "disk: '2048'\n"},
        ".platform.app.yaml:7:1: platform-config-valid app `app`: `disk:` is a string, where the platform expects an integer: write `disk:` as an integer",
        id="disk-a-string",
    ),
    pytest.param(
        {".platform.app.yaml": APP + "hooks:\n  build:\n    - set -eu\n    - pip install -r requirements.txt\n"},
        ".platform.app.yaml:4:1: platform-config-valid app `app`: `hooks.build:` is a list, where the platform expects a string: write `hooks.build:` as a string",
        id="hook-a-list",
    ),
    pytest.param(
        {".platform.app.yaml": APP + HOOKS + "workers:\n  queue:\n    start: celery -A app worker\n"},
        ".platform.app.yaml:9:1: platform-config-valid app `app`: `start:` sits under `workers.queue:`, where the platform does not read it: move it under `workers.queue.commands:`",
        id="worker-start-outside-commands",
    ),
    pytest.param(
        {".platform.app.yaml": APP + HOOKS + "crons:\n  report:\n    spec: '0 * * * *'\n    comands:\n      start: python report.py\n"},
        ".platform.app.yaml:10:1: platform-config-valid app `app`: `crons.report.comands:` is not a setting the platform documents under `crons.report:`: did you mean `commands:`?",
        id="cron-typo",
    ),
    pytest.param(
        {".upsun/config.yaml": "applications:\n  app:\n    type: 'python:3.12'\n    dependecies:\n      python3: {uv: '0.7.8'}\n"},
        ".upsun/config.yaml:4:1: platform-config-valid app `app`: `dependecies:` is not a setting the platform documents directly under the app: did you mean `dependencies:`?",
        id="upsun-typo",
    ),
    pytest.param(
        {".platform/applications.yaml": "- name: app\n  type: 'python:3.12'\n  source: {root: '/'}\n  varaibles:\n    env: {A: '1'}\n"},
        ".platform/applications.yaml:4:1: platform-config-valid app `app`: `varaibles:` is not a setting the platform documents directly under the app: did you mean `variables:`?",
        id="applications-list-typo",
    ),
]


@pytest.mark.parametrize(("files", "expected"), FAILING)
def test_a_shape_problem_is_one_line_with_its_fix(in_tmp: Path, capsys: pytest.CaptureFixture[str], files: dict[str, str], expected: str) -> None:
    assert run(capsys, in_tmp, files) == (1, [expected])


ACCEPTED = [
    pytest.param(APP + HOOKS, id="plain"),
    pytest.param(APP + "x-hooks: &hooks\n  build: |\n    set -eu\nhooks:\n  <<: *hooks\n  deploy: python manage.py migrate\n", id="anchor-and-merge-key"),
    pytest.param(APP + HOOKS + "_comment: kept for humans\nacme.custom: 1\n", id="custom-keys"),
    pytest.param(APP + "hooks:\n  build: !include {type: string, path: build.sh}\n", id="include"),
    pytest.param(APP + HOOKS + "runtime:\n  extensions: [redis]\nbuild:\n  flavor: composer\n  caches: {}\n", id="other-runtimes-settings"),
    pytest.param(
        APP + HOOKS + "disk: 2048\nsize: S\nresources: {base_memory: 64}\nrelationships:\n  database:\nmounts: {}\ntimezone: Europe/Paris\naccess: {ssh: admin}\n"
        "firewall: {outbound: []}\nadditional_hosts: {}\noperations: {}\npreflight: {enabled: true}\ncrons: {}\nworkers: {}\nvariables: {env: {A: '1'}}\n"
        "source: {root: '/', operations: {}}\n"
        "web:\n  commands: {pre_start: 'true', start: gunicorn app, post_start: 'true'}\n  upstream: {socket_family: unix}\n  locations: {'/': {passthru: true}}\n"
        "  document_root: public\n  expires: 1h\n  move_to_root: false\n  relationships: {}\n",
        id="every-documented-key",
    ),
    pytest.param("name: app\nstack: [python@3.12, python312Packages.pip]\n" + HOOKS, id="composable-list"),
    pytest.param("name: app\ntype: 'composable:26.05'\nstack:\n  runtimes: [python@3.13]\n  packages: [python313Packages.yq]\n" + HOOKS, id="composable-mapping"),
    pytest.param(APP + HOOKS + "relationships:\nmounts:\n", id="null-values"),
    pytest.param(
        APP + HOOKS + "workers:\n  queue:\n    size: S\n    commands: {start: celery -A app worker}\n    relationships: {}\n"
        "crons:\n  report:\n    spec: '0 * * * *'\n    commands: {start: python report.py, stop: 'true'}\n    shutdown_timeout: 10\n"
        "  legacy:\n    spec: '0 0 * * *'\n    cmd: python nightly.py\n",
        id="workers-and-crons",
    ),
]


@pytest.mark.parametrize("config", ACCEPTED)
def test_what_the_platform_accepts_is_not_a_shape_finding(in_tmp: Path, capsys: pytest.CaptureFixture[str], config: str) -> None:
    (in_tmp / "build.sh").write_text("set -eu\npip install -r requirements.txt\n")
    (in_tmp / "requirements.txt").write_text("django==5.1.4\n")
    assert run(capsys, in_tmp, {".platform.app.yaml": config}) == (0, [])


def test_a_hostile_key_is_one_escaped_line_quickly(in_tmp: Path, capsys: pytest.CaptureFixture[str]) -> None:
    long_key = "k" * 200_000
    started = time.perf_counter()
    code, out = run(capsys, in_tmp, {".platform.app.yaml": APP + HOOKS + '"evil\\nkey\\u001b[31m": 1\n' + f"? {long_key}\n: 1\n"})
    assert time.perf_counter() - started < 5
    assert code == 1 and len(out) == 2
    assert all("\x1b" not in line and line.startswith(".platform.app.yaml:") for line in out)
