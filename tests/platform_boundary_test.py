"""An app config never makes lockguard read outside the repository: each reference that leads
there (`source.root`, a script a hook runs, an `!include`, a symlink) is one error line naming the
reference as written, and nothing of the target reaches the output."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from hooks.cli import main as lockguard

SECRET = "TOPSECRET"
APP = "name: app\ntype: python:3.12\n"


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A repository (its `.git` makes it one) beside a folder `outside` holding secrets in the
    shapes each reference expects: a file, a YAML app, a shell script, manifests."""
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret").write_text(f"{SECRET}\n")
    (outside / "app.yaml").write_text(f"name: {SECRET}\ntype: python:3.12\nhooks:\n  build: pip install {SECRET}\n")
    (outside / "x.sh").write_text(f"pip install {SECRET}\npoetry lock\n")
    (outside / "requirements.txt").write_text(f"{SECRET}\n")
    (outside / "Pipfile").write_text(f'[requires]\npython_version = "{SECRET}"\n')
    root = tmp_path / "repo"
    (root / ".git").mkdir(parents=True)
    return root


def write(root: Path, files: dict[str, str]) -> None:
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content)


def outside_path(repo: Path, name: str) -> str:
    return str(repo.parent / "outside" / name)


# (files in the repository, symlinks in it (name -> target relative to tmp_path), the reference
# the error line must name). `{outside}` is the absolute path of the outside folder.
CASES = [
    pytest.param({".platform.app.yaml": APP + "source:\n  root: ../outside\n"}, {}, "source.root '../outside' leads outside the repository", id="source-root-dotdot"),
    pytest.param(
        {".platform/applications.yaml": "- name: app\n  type: python:3.12\n  source:\n    root: linked\n"},
        {"linked": "outside"},
        "source.root 'linked' leads outside the repository",
        id="source-root-symlinked-folder",
    ),
    pytest.param({".platform.app.yaml": APP + "hooks:\n  build: bash {outside}/x.sh\n"}, {}, "runs '{outside}/x.sh', which is outside the repository", id="build-runs-absolute-script"),
    pytest.param(
        {".platform.app.yaml": APP + "hooks:\n  build: |\n    set -eu\n    sh ../outside/x.sh\n"}, {}, "runs '../outside/x.sh', which is outside the repository", id="build-runs-dotdot-script"
    ),
    pytest.param({".platform.app.yaml": APP + "hooks:\n  build: ./x.sh\n"}, {"x.sh": "outside/x.sh"}, "runs './x.sh', which is outside the repository", id="build-runs-symlinked-script"),
    pytest.param(
        {".platform/applications.yaml": "- !include ../app.yaml\n"}, {"app.yaml": "outside/app.yaml"}, "includes '../app.yaml', which is outside the repository", id="include-through-symlink"
    ),
    pytest.param(
        {".platform.app.yaml": APP + "hooks:\n  build: !include\n    type: string\n    path: ../outside/x.sh\n"},
        {},
        "includes '../outside/x.sh', which is outside the repository",
        id="include-string-dotdot",
    ),
    pytest.param({".upsun/config.yaml": "applications:\n  app: !include ../../outside/app.yaml\n"}, {}, "includes '../../outside/app.yaml', which is outside the repository", id="include-yaml-dotdot"),
    pytest.param({}, {".platform.app.yaml": "outside/app.yaml"}, ".platform.app.yaml:1:1: lockguard error: leads outside the repository", id="config-is-a-symlink"),
    pytest.param(
        {".platform.app.yaml": APP + "hooks:\n  build: pip install -r requirements.txt\n"},
        {"requirements.txt": "outside/requirements.txt", "Pipfile": "outside/Pipfile"},
        "Pipfile:1:1:",
        id="manifest-is-a-symlink",
    ),
]


@pytest.mark.parametrize(("files", "links", "reference"), CASES)
def test_nothing_outside_the_repository_is_read(repo: Path, capsys: pytest.CaptureFixture[str], files: dict[str, str], links: dict[str, str], reference: str) -> None:
    outside = outside_path(repo, "").rstrip(os.sep)
    write(repo, {name: text.replace("{outside}", outside) for name, text in files.items()})
    for name, target in links.items():
        (repo / name).parent.mkdir(parents=True, exist_ok=True)
        (repo / name).symlink_to(repo.parent / target)
    code = lockguard([str(repo)])
    out, err = capsys.readouterr()
    assert code == 1
    assert reference.replace("{outside}", outside) in out, out
    assert SECRET not in out and SECRET not in err
    # Every line about the reference is one error line: the app behind it is not judged.
    lines = [line for line in out.splitlines() if reference.replace("{outside}", outside) in line]
    assert lines and all(" error: " in line for line in lines), out


def test_the_error_names_the_config_line_of_the_reference(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(repo, {".platform.app.yaml": APP + "hooks:\n  build: |\n    set -eu\n    sh ../outside/x.sh\n"})
    assert lockguard([str(repo), "--select", "platform-build-hook"]) == 1
    assert capsys.readouterr().out.splitlines() == [
        ".platform.app.yaml:6:1: lockguard error: `sh ../outside/x.sh` runs '../outside/x.sh', which is outside the repository, so lockguard does not read it"
    ]
