"""The platform rules on the second real corpus (`../shared/corpus/platform-2/`, 34 repositories
nobody here wrote, every finding judged in its JUDGEMENTS.tsv): each problem lockguard missed
there, read off the folder it came from."""

from __future__ import annotations

import json

import pytest

from hooks.catalogue import PLATFORM_FILES, RULES
from hooks.cli import main
from tests.conftest import CORPUS as SHARED_CORPUS
from tests.conftest import needs_corpus

pytestmark = needs_corpus
CORPUS = SHARED_CORPUS / "platform-2"
PLATFORM_RULES = ",".join(rule.id for rule in RULES if rule.files == PLATFORM_FILES)


def findings(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, repo: str, rules: str = PLATFORM_RULES) -> list[tuple[str, str, str]]:
    """(rule, "path:line", message) of each finding lockguard reports on the repository."""
    monkeypatch.chdir(CORPUS / repo)
    main([".", "--select", rules])
    found = []
    for line in capsys.readouterr().out.splitlines():
        location, _, rest = line.partition(": ")
        path, number, _ = location.rsplit(":", 2)
        rule, _, message = rest.partition(" ")
        found.append((rule, f"{path}:{number}", message))
    return found


def test_a_build_script_run_through_platform_app_dir_is_followed_with_its_set_e(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    # `build: $PLATFORM_APP_DIR/.platform.build.sh`; the script turns on `set -ex` before it
    # upgrades pip and installs gunicorn and Sphinx by name (then `cd pgadmin4`, a submodule
    # the repository does not hold, whose requirements.txt is not judged).
    found = findings(capsys, monkeypatch, "demosdemon__platformsh-example-pgadmin4")
    assert [(rule, at) for rule, at, _ in found] == [
        ("platform-python-version", ".platform.app.yaml:10"),  # python:3.7, retired
        ("platform-pip-pinned", ".platform.build.sh:20"),
        ("platform-build-hook", ".platform.build.sh:21"),
        ("platform-build-hook", ".platform.build.sh:24"),
    ]
    assert "`gunicorn` by name" in found[2][2] and "`sphinx` by name" in found[3][2]


def test_an_installer_from_a_moving_branch_is_not_a_pinned_tool(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    # flask-mariadb: POETRY_VERSION is set, but the installer is `install-poetry.py` from
    # Poetry's `master`, removed upstream in 2023.
    found = findings(capsys, monkeypatch, "chadwcarlson__flask", "platform-tool-pinned")
    assert [(rule, at) for rule, at, _ in found] == [("platform-tool-pinned", "flask-mariadb/.platform.app.yaml:23")]
    assert "the `master` branch" in found[0][2] and "--version X.Y.Z" in found[0][2]


def test_build_commands_under_the_app_are_a_config_error_and_say_why_nothing_installs(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    # backend/.platform.app.yaml: `build:` (line 3) holds `commands:` (line 4), no `hooks:`.
    found = findings(capsys, monkeypatch, "eugenekravchuk__agriculture-losses", "platform-build-hook,platform-config-valid")
    assert [(rule, at) for rule, at, _ in found] == [("platform-build-hook", "backend/.platform.app.yaml:3"), ("platform-config-valid", "backend/.platform.app.yaml:4")]
    assert "`build.commands:` at line 4 is not a hook" in found[0][2]
    assert "never run" in found[1][2]


@pytest.mark.parametrize(
    ("repo", "at", "declared"),
    [
        ("gmoigneu__ai-stripper", ".upsun/config.yaml:49", "`dependencies.python3.uvicorn: '*'`"),
        ("nbonnotte__platformsh-example-django", ".platform.app.yaml:15", "`dependencies.python.gunicorn: '*'`"),
        ("OriPekelman__platformsh-example-odoo", ".platform.app.yaml:15", "`dependencies.python.uwsgi: '*'`"),
    ],
)
def test_every_package_under_dependencies_is_pinned(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, repo: str, at: str, declared: str) -> None:
    found = findings(capsys, monkeypatch, repo, "platform-tool-pinned")
    assert [(rule, where) for rule, where, _ in found] == [("platform-tool-pinned", at)]
    assert f": {declared} installs whatever" in found[0][2]


def test_a_tool_under_python_2_s_key_is_declared_under_the_wrong_key(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    # `dependencies.python.pipenv: "2018.10.13"` on python:3.10: declared, under the wrong key.
    found = findings(capsys, monkeypatch, "chadwcarlson__fastapi", "platform-tool-pinned")
    assert [(rule, at) for rule, at, _ in found] == [("platform-tool-pinned", ".platform.app.yaml:15")]
    assert "nothing installs it" not in found[0][2]
    assert found[0][2].endswith("move it under dependencies.python3: `pipenv: '2018.10.13'`")


def test_pip_advice_takes_the_python_of_a_stack_string(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    # .platform/pip.app.yaml: `stack: 'python@3.10'`, a string, not a list.
    found = findings(capsys, monkeypatch, "remilejeune2__django4-nix", "platform-pip-pinned")
    assert [message.endswith("run `python3.10 -m pip install pip==$PIP_VERSION` in the build hook") for _, _, message in found] == [True]


def test_a_python_mismatch_says_the_edit_once_for_the_pipfile_and_its_lock(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    # python:3.10, Pipfile and Pipfile.lock both say 3.9.
    found = findings(capsys, monkeypatch, "chadwcarlson__fastapi", "platform-python-version")
    assert [(rule, at) for rule, at, _ in found] == [("platform-python-version", "Pipfile:16")]
    assert found[0][2].endswith('write `python_version = "3.10"` under [requires], then run `pipenv lock`')


def test_a_stray_requirements_file_is_one_platform_finding_that_says_no_build_installs_it(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    # server/ and consumer/ build with `pipenv install --deploy`; each holds a hand-written
    # `~=` requirements.txt beside its Pipfile.lock. Every rule runs: requirements-lock-sync and
    # requirements-pinned leave the stray files alone (they gave 20 lines for them).
    all_rules = ",".join(rule.id for rule in RULES)
    found = [(rule, at, message) for rule, at, message in findings(capsys, monkeypatch, "DeviantCord__DeviantCord-Site", all_rules) if at.split(":")[0].endswith("requirements.txt")]
    assert [(rule, at) for rule, at, _ in found] == [("platform-one-manager", "consumer/requirements.txt:1"), ("platform-one-manager", "server/requirements.txt:1")]
    assert all(message.startswith("no build installs this file") for _, _, message in found)


# Every finding of the kinds added for issue 16 on the whole corpus, read off each config: nine
# apps on a retired Python (the README's "Also seen"), and one misspelt key.
NEW_KINDS = {"retired-runtime", "unknown-key", "misplaced-key", "wrong-type"}
NEW_FINDINGS = {
    ("OriPekelman__platformsh-example-odoo", "retired-runtime", ".platform.app.yaml:10", "`type: python:2.7`"),
    ("Uoyroem__Digit-Alem", "unknown-key", ".platform/applications.yaml:19", "`dist:` is not a setting the platform documents directly under the app: did you mean `disk:`?"),
    ("chadwcarlson__django-bigfoot", "retired-runtime", ".platform.app.yaml:11", "`type: python:3.9`"),
    ("chadwcarlson__flask", "retired-runtime", "flask-mariadb/.platform.app.yaml:3", "`type: python:3.9`"),
    ("chadwcarlson__jupyter", "retired-runtime", ".platform.app.yaml:11", "`type: python:3.8`"),
    ("demosdemon__platformsh-example-pgadmin4", "retired-runtime", ".platform.app.yaml:10", "`type: python:3.7`"),
    ("etoulas__platformsh-example-flask", "retired-runtime", ".platform.app.yaml:4", "`type: python:3.5`"),
    ("nbonnotte__platformsh-example-django", "retired-runtime", ".platform.app.yaml:10", "`type: python:3.6`"),
    ("platformista__soa-demo-template", "retired-runtime", ".platform/applications.yaml:59", "`type: python:3.9`"),
    ("upsun__service-examples", "retired-runtime", "python/.platform.app.yaml:10", "`type: python:3.8`"),
}


def test_retired_runtimes_and_config_shape_across_the_corpus(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    found = set()
    for folder in sorted(p for p in CORPUS.iterdir() if p.is_dir()):
        monkeypatch.chdir(folder)
        main([".", "--select", "platform-config-valid,platform-python-version", "--format", "json"])
        for item in json.loads(capsys.readouterr().out)["findings"]:
            if item["kind"] in NEW_KINDS:
                expected = next((text for repo, kind, at, text in NEW_FINDINGS if (repo, kind, at) == (folder.name, item["kind"], f"{item['path']}:{item['line']}")), None)
                assert expected is not None and expected in item["message"], (folder.name, item)
                found.add((folder.name, item["kind"], f"{item['path']}:{item['line']}"))
    assert found == {(repo, kind, at) for repo, kind, at, _ in NEW_FINDINGS}


def test_pipenv_run_after_an_install_into_the_system_python_has_no_virtualenv(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    # server/.platform.app.yaml: `pipenv install --system --deploy` (line 29, no `set -e`), then
    # `start: "pipenv run uvicorn main:app --port $PORT"` (line 33).
    found = findings(capsys, monkeypatch, "chittolina__pdf-date-extractor", "platform-build-hook")
    assert [(rule, at) for rule, at, _ in found] == [("platform-build-hook", "server/.platform.app.yaml:29"), ("platform-build-hook", "server/.platform.app.yaml:33")]
    assert "no virtualenv exists at run time" in found[1][2]
    assert found[1][2].endswith("run `uvicorn main:app --port $PORT` directly (or drop `--system` from the install)")
