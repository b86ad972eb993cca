"""`requirements-lock-sync`: files written by the real exporters pass, and hand-edited copies
fail (uv export, pipenv requirements, poetry export, pdm export, all offline); pip-compile outputs against
their input; files that cannot be tied to a lock are left alone."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from hooks.cli import main as lockguard
from hooks.entry_points import requirements_lock_sync as main
from tests.conftest import CORPUS, DATA, needs_corpus, tree_digest
from tests.pdm_lock_test import PDM_ENV, WHEEL, tiny_wheel

BIN = os.path.dirname(sys.executable)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, list[str]]:
    code = main(list(argv))
    return code, capsys.readouterr().out.splitlines()


def export_uv(directory: Path) -> None:
    environment = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": str(directory),
        "XDG_CONFIG_HOME": str(directory / ".cfg"),
        "UV_OFFLINE": "1",
        "UV_PYTHON_DOWNLOADS": "never",
        "UV_CACHE_DIR": str(directory / ".cache"),
    }
    subprocess.run([os.path.join(BIN, "uv"), "export", "--frozen", "--offline", "--quiet", "-o", "requirements.txt"], cwd=directory, env=environment, check=True)


def export_pipenv(directory: Path) -> None:
    environment = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": str(directory),
        "PIP_CONFIG_FILE": os.devnull,
        "PIPENV_VERBOSITY": "-1",
        "PIPENV_IGNORE_VIRTUALENVS": "1",
        "WORKON_HOME": str(directory / ".venvs"),
    }
    result = subprocess.run([os.path.join(BIN, "pipenv"), "requirements"], cwd=directory, env=environment, check=True, capture_output=True, text=True)
    (directory / "requirements.txt").write_text(result.stdout)


def export_poetry(directory: Path) -> None:
    environment = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": str(directory),
        "POETRY_VIRTUALENVS_CREATE": "false",
        "POETRY_CACHE_DIR": str(directory / ".cache"),
        "POETRY_CONFIG_DIR": str(directory / ".cfg"),
    }
    subprocess.run([sys.executable, "-m", "poetry", "export", "-f", "requirements.txt", "--output", "requirements.txt"], cwd=directory, env=environment, check=True, capture_output=True)


def export_pdm(directory: Path) -> None:
    """A project locked by the real `pdm lock` (a wheel from a local find-links folder), then
    exported by `pdm export` as a user runs it."""
    directory.mkdir()
    (directory / "pyproject.toml").write_text(WHEEL)
    tiny_wheel(directory / "wheels")
    environment = {**os.environ, **PDM_ENV, "PDM_CACHE_DIR": str(directory / ".cache"), "PDM_CONFIG_FILE": str(directory / ".config.toml")}
    for command in (["lock"], ["export", "-o", "requirements.txt"]):
        result = subprocess.run([sys.executable, "-m", "pdm", *command], cwd=directory, env=environment, capture_output=True, text=True, timeout=300)
        assert result.returncode == 0, result.stdout + result.stderr


# The pipenv and poetry projects are corpus cases, read in place and exported from a copy; the
# pdm project is made by the exporter.
EXPORTERS = {
    "uv": (DATA / "uv" / "sample", export_uv, "six"),
    "pipenv": (CORPUS / "locks" / "pipenv" / "platformsh-templates__django4__2638a0af", export_pipenv, "django"),
    "poetry": (CORPUS / "locks" / "poetry" / "Textualize__rich__14a47c92", export_poetry, "pygments"),
    "pdm": (None, export_pdm, "tiny"),
}


@pytest.fixture(params=[pytest.param(name, marks=[] if EXPORTERS[name][0] is None or name == "uv" else [needs_corpus]) for name in sorted(EXPORTERS)])
def exported(request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, str]:
    source, export, package = EXPORTERS[request.param]
    project = tmp_path / "project"
    if source is not None:
        shutil.copytree(source, project)
    export(project)
    monkeypatch.chdir(project)
    return project, package


def test_a_fresh_export_passes(exported: tuple[Path, str], capsys: pytest.CaptureFixture[str]) -> None:
    project, _ = exported
    before = tree_digest(project)
    assert run(capsys, "requirements.txt") == (0, [])
    assert tree_digest(project) == before


def test_a_hand_edited_version_fails(exported: tuple[Path, str], capsys: pytest.CaptureFixture[str]) -> None:
    project, package = exported
    text = (project / "requirements.txt").read_text()
    pattern = re.compile(rf"^({re.escape(package)}==)([^ ;\\\n]+)", re.MULTILINE | re.IGNORECASE)
    assert pattern.search(text), text[:300]
    (project / "requirements.txt").write_text(pattern.sub(r"\g<1>0.0.1", text, count=1))
    code, out = run(capsys, "requirements.txt")
    assert code == 1
    assert len(out) == 1 and "==0.0.1, but " in out[0] and ": re-run `" in out[0]


def test_a_removed_package_fails(exported: tuple[Path, str], capsys: pytest.CaptureFixture[str]) -> None:
    project, package = exported
    lines = (project / "requirements.txt").read_text().split("\n")
    start = next(i for i, line in enumerate(lines) if line.lower().startswith(package + "=="))
    end = start + 1
    while end < len(lines) and lines[end].startswith(" "):
        end += 1
    (project / "requirements.txt").write_text("\n".join(lines[:start] + lines[end:]))
    code, out = run(capsys, "requirements.txt")
    assert code == 1
    assert any(line.startswith("requirements.txt:1:1: requirements-lock-sync misses ") and f" {package} " in line.lower() for line in out), out


def test_a_changed_lock_rejudges_the_export(exported: tuple[Path, str], capsys: pytest.CaptureFixture[str]) -> None:
    project, package = exported
    text = (project / "requirements.txt").read_text()
    (project / "requirements.txt").write_text(re.sub(rf"^({re.escape(package)}==)([^ ;\\\n]+)", r"\g<1>0.0.1", text, count=1, flags=re.MULTILINE | re.IGNORECASE))
    lock = next(name for name in ("uv.lock", "Pipfile.lock", "poetry.lock", "pdm.lock") if (project / name).exists())
    assert run(capsys, lock)[0] == 1


PIP_COMPILE_HEADER = "#\n# This file is autogenerated by pip-compile with Python 3.12\n# by the following command:\n#\n#    pip-compile --output-file=requirements.txt requirements.in\n#\n"


@pytest.mark.parametrize(
    ("source", "output", "expected"),
    [
        pytest.param("django>=5.1\nrequests\n", "django==5.1.4\n    # via -r requirements.in\nrequests==2.32.3\n", [], id="in-sync"),
        pytest.param(
            "django>=5.1\nrequests\n",
            "django==5.0.9\nrequests==2.32.3\n",
            ["requirements.txt:7:1: requirements-lock-sync pins django==5.0.9, which requirements.in no longer allows (`>=5.1`)"],
            id="input-raised",
        ),
        pytest.param(
            "django>=5.1\nrequests\nflask\n", "django==5.1.4\nrequests==2.32.3\n", ["requirements.txt:1:1: requirements-lock-sync misses flask, which requirements.in asks for"], id="input-added"
        ),
    ],
)
def test_pip_compile_against_its_input(in_tmp: Path, capsys: pytest.CaptureFixture[str], source: str, output: str, expected: list[str]) -> None:
    (in_tmp / "requirements.in").write_text(source)
    (in_tmp / "requirements.txt").write_text(PIP_COMPILE_HEADER + output)
    code, out = run(capsys, "requirements.txt")
    assert code == int(bool(expected))
    assert len(out) == len(expected) and all(
        line.startswith(prefix) and line.endswith(": re-run `pip-compile --output-file=requirements.txt requirements.in`") for line, prefix in zip(out, expected)
    ), out


def test_a_file_without_a_lock_or_header_is_left_alone(in_tmp: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (in_tmp / "requirements.txt").write_text("django==1.0\n")
    assert run(capsys, "requirements.txt") == (0, [])


def test_two_locks_make_the_layout_ambiguous(in_tmp: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (in_tmp / "requirements.txt").write_text("django==1.0\n")
    (in_tmp / "poetry.lock").write_text('[[package]]\nname = "django"\nversion = "5.1.4"\n')
    (in_tmp / "Pipfile.lock").write_text('{"default": {"django": {"version": "==5.1.4"}}}')
    assert run(capsys, "requirements.txt") == (0, [])


def test_a_broken_lock_is_one_line(in_tmp: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (in_tmp / "requirements.txt").write_text("django==1.0\n")
    (in_tmp / "poetry.lock").write_text("[[package]\n")
    code, out = run(capsys, "requirements.txt")
    assert code == 1 and len(out) == 1 and out[0].startswith("poetry.lock:1:10: requirements-lock-sync error: is not valid TOML")


@needs_corpus
@pytest.mark.parametrize(
    ("repository", "file", "expected"),
    [
        # The fastapi template keeps a requirements.txt beside its Pipfile.lock; the two drifted.
        (
            "platformsh-templates__fastapi",
            "requirements.txt",
            "requirements.txt:4:1: requirements-lock-sync pins fastapi==0.91.0, but Pipfile.lock has fastapi 0.141.1: re-run `pipenv requirements > requirements.txt`",
        ),
        ("Bensigo__solu-ml", "requirements.txt", "requirements.txt:67:1: requirements-lock-sync pins scikit-learn==1.5.1, but Pipfile.lock has scikit-learn 1.4.1.post1"),
    ],
)
def test_real_files_that_drifted_from_their_lock(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path, repository: str, file: str, expected: str) -> None:
    # Beside their Pipfile.lock alone, the drift is found.
    for name in (file, "Pipfile.lock"):
        shutil.copyfile(CORPUS / "platform" / repository / name, tmp_path / name)
    monkeypatch.chdir(tmp_path)
    code, out = run(capsys, file)
    assert code == 1
    assert any(line.startswith(expected) for line in out), out
    # In place, the app builds with `pipenv install --deploy` and installs no requirements file:
    # the file is stray, which platform-one-manager says in one line, and this hook says nothing.
    monkeypatch.chdir(CORPUS / "platform" / repository)
    assert run(capsys, file) == (0, [])
    assert lockguard([".", "--select", "platform-one-manager"]) == 1
    assert capsys.readouterr().out.startswith(f"{file}:1:1: platform-one-manager no build installs this file")


def test_pdm_header_ties_the_file_where_the_layout_cannot(in_tmp: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (in_tmp / "requirements.txt").write_text("# This file is @generated by PDM.\n# Please do not edit it manually.\n\ndjango==1.0\n")
    (in_tmp / "poetry.lock").write_text('[[package]]\nname = "django"\nversion = "5.1.4"\n')
    (in_tmp / "pdm.lock").write_text('[[package]]\nname = "django"\nversion = "5.1.3"\ngroups = ["default"]\n')
    assert run(capsys, "requirements.txt") == (1, ["requirements.txt:4:1: requirements-lock-sync pins django==1.0, but pdm.lock has django 5.1.3: re-run `pdm export -o requirements.txt`"])
