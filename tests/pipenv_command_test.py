"""pipfile-lock against the command the build runs, `pipenv verify` (pipenv 2026.10.3), on edits
of one locked project: the same verdict, exit code for exit code.

The base lock records the hash pipenv's own Project computes; each edit is then judged by the
real command and by the hook. pipenv is a test dependency: without it these tests fail.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from pipenv.project import Project

from hooks.catalogue import BY_ID
from tests.conftest import hook_main, tree_digest

BASE = '[[source]]\nname = "pypi"\nurl = "https://example.org/simple"\nverify_ssl = true\n\n[packages]\nsix = "==1.16.0"\nDjango = "*"\n\n[dev-packages]\npytest = "*"\n\n[requires]\npython_version = "3.12"\n'

# (edit of the Pipfile, what pipenv says of the base lock afterwards)
EDITS = [
    pytest.param(lambda text: text, "fresh", id="unchanged"),
    pytest.param(lambda text: "# a comment\n" + text.replace('six = "==1.16.0"', "six = '==1.16.0'  # quoted otherwise"), "fresh", id="comments-and-quotes"),
    pytest.param(lambda text: text.replace("[dev-packages]\npytest", "[dev-packages]\nPyTest"), "fresh", id="name-case"),
    pytest.param(lambda text: text + '\n[scripts]\nserve = "python -m http.server"\n', "fresh", id="scripts-added"),
    pytest.param(lambda text: text.replace('six = "==1.16.0"', 'six = "==1.17.0"'), "stale", id="version-changed"),
    pytest.param(lambda text: text.replace('Django = "*"', 'Django = "*"\nrequests = "*"'), "stale", id="package-added"),
    pytest.param(lambda text: text.replace('pytest = "*"\n', ""), "stale", id="dev-package-removed"),
    pytest.param(lambda text: text.replace('python_version = "3.12"', 'python_version = "3.13"'), "stale", id="requires-changed"),
    pytest.param(lambda text: text.replace("https://example.org/simple", "https://example.org/other"), "stale", id="source-changed"),
    pytest.param(lambda text: text + '\n[docs]\nmkdocs = "*"\n', "stale", id="category-added"),
]
COMPARED: list[str] = []


def _environment(home: Path) -> dict[str, str]:
    # pipenv folds the machine's pip configuration into the hash; no virtualenv is created.
    return {"PATH": os.environ.get("PATH", ""), "HOME": str(home), "PIP_CONFIG_FILE": os.devnull, "PIPENV_IGNORE_VIRTUALENVS": "1", "PIPENV_VERBOSITY": "-1"}


def _lock_for(directory: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A Pipfile.lock recording the hash pipenv's own Project computes for the Pipfile."""
    monkeypatch.chdir(directory)
    for key, value in _environment(directory).items():
        monkeypatch.setenv(key, value)
    digest = Project().pipfile.calculate_hash()
    sources = [{"name": "pypi", "url": "https://example.org/simple", "verify_ssl": True}]
    lock = {"_meta": {"hash": {"sha256": digest}, "pipfile-spec": 6, "requires": {"python_version": "3.12"}, "sources": sources}, "default": {}, "develop": {}}
    (directory / "Pipfile.lock").write_text(json.dumps(lock, indent=4) + "\n", encoding="utf-8")


@pytest.mark.parametrize(("edit", "expected"), EDITS)
def test_verdict_equals_pipenv_verify(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], edit, expected: str) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / "Pipfile").write_text(BASE, encoding="utf-8")
    _lock_for(tmp_path, monkeypatch)
    (tmp_path / "Pipfile").write_text(edit(BASE), encoding="utf-8")
    before = tree_digest(tmp_path)
    verify = subprocess.run([sys.executable, "-m", "pipenv", "verify"], cwd=tmp_path, env=_environment(tmp_path), capture_output=True, text=True, timeout=120)
    said = verify.stdout + verify.stderr
    # A refusal says so; anything else is pipenv failing, not judging.
    assert ("up-to-date" in said) if verify.returncode == 0 else ("out-of-date" in said), said
    assert ("fresh" if verify.returncode == 0 else "stale") == expected
    code = hook_main(BY_ID["pipfile-lock"])(["Pipfile", "Pipfile.lock"])
    assert code == verify.returncode, capsys.readouterr().out
    assert tree_digest(tmp_path) == before
    COMPARED.append(expected)


def test_every_edit_was_compared_with_the_command(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Run after the table: both verdicts occurred, and each edit was judged by both."""
    if len(COMPARED) != len(EDITS):
        pytest.skip("run with the whole module: this counts the table's cases")
    assert sorted(set(COMPARED)) == ["fresh", "stale"]
