"""pipfile-lock against the real pipenv at the releases that matter: a lock hashed in each era,
checked by `pipenv verify` of each release and by pipfile-lock with an app pinning that release,
must get the same verdict (slow: installs pipenv 2022.9.4 and 2024.4.1 once, cached)."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from hooks.cli import main as lockguard
from hooks.models import pipfile as model
from hooks.models.tool_versions import PIPENV_HASH_ERAS
from tests.tool_venvs import current_bin, installed

pytestmark = pytest.mark.slow

SOURCE = '[[source]]\nname = "pypi"\nurl = "https://example.org/simple"\nverify_ssl = true\n\n'
SOURCES = [{"name": "pypi", "url": "https://example.org/simple", "verify_ssl": True}]
PIPFILES = {
    "canonical": SOURCE + '[packages]\nsix = "*"\n\n[dev-packages]\niniconfig = "==2.0.0"\n\n[requires]\npython_version = "3.11"\n',
    "mixed-case": SOURCE + '[packages]\nTyping_Extensions = "*"\n"zope.interface" = "*"\n',
    "category": SOURCE + '[packages]\nsix = "*"\n\n[docs]\nMarkdown = "*"\n',
    "pipenv-table": SOURCE + '[packages]\nsix = "*"\n\n[pipenv]\nallow_prereleases = false\n',
}
# 2024.4.1: the pipenv Dependabot runs.
RELEASES = ["2022.9.4", "2024.4.1", "2026.10.3"]
CASES = [(name, era, release) for name in PIPFILES for _, era in PIPENV_HASH_ERAS for release in RELEASES]


@pytest.fixture(scope="session")
def pipenv_bins(pytestconfig: pytest.Config) -> dict[str, Path]:
    return {**{release: installed(pytestconfig, "pipenv", release) for release in RELEASES[:-1]}, RELEASES[-1]: current_bin()}


def pipenv_verify(bin_dir: Path, directory: Path) -> bool:
    env = {
        "PATH": f"{bin_dir}:/usr/bin:/bin", "HOME": str(directory), "PIP_CONFIG_FILE": os.devnull,
        "PIPENV_VERBOSITY": "-1", "PIPENV_IGNORE_VIRTUALENVS": "1", "PIPENV_PIPFILE": str(directory / "Pipfile"),
    }  # fmt: skip
    result = subprocess.run([str(bin_dir / "pipenv"), "verify"], cwd=directory, env=env, capture_output=True, text=True, timeout=300)
    assert "Traceback" not in result.stderr, result.stderr
    return result.returncode == 0


def test_every_pipfile_era_and_release_is_compared() -> None:
    assert len(CASES) == len(PIPFILES) * len(PIPENV_HASH_ERAS) * len(RELEASES) == 60


def test_the_installed_pipenvs_are_the_releases_named(pipenv_bins: dict[str, Path]) -> None:
    for release, bin_dir in pipenv_bins.items():
        out = subprocess.run([str(bin_dir / "pipenv"), "--version"], capture_output=True, text=True, timeout=120, env={"PATH": f"{bin_dir}:/usr/bin:/bin"}).stdout
        assert release in out


@pytest.mark.parametrize(("name", "era", "release"), CASES, ids=[f"{n}-{e}-{r}" for n, e, r in CASES])
def test_same_verdict_as_pipenv(tmp_path: Path, capsys: pytest.CaptureFixture[str], pipenv_bins: dict[str, Path], name: str, era: str, release: str) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / "Pipfile").write_text(PIPFILES[name])
    digest = model.era_hash(model.read_pipfile(str(tmp_path / "Pipfile")), SOURCES, era)
    meta = {"hash": {"sha256": digest}, "pipfile-spec": 6, "requires": {}, "sources": SOURCES}
    (tmp_path / "Pipfile.lock").write_text(json.dumps({"_meta": meta, "default": {}, "develop": {}}, indent=4) + "\n")
    (tmp_path / ".platform.app.yaml").write_text(f"name: app\ntype: 'python:3.11'\ndependencies:\n  python3:\n    pipenv: '{release}'\nhooks:\n  build: |\n    set -eu\n    pipenv install --deploy\n")
    theirs = pipenv_verify(pipenv_bins[release], tmp_path)
    ours = lockguard([str(tmp_path), "--select", "pipfile-lock"]) == 0
    out = capsys.readouterr().out
    assert ours == theirs, out
    if ours != (model.current_hash(model.read_pipfile(str(tmp_path / "Pipfile")), SOURCES) == digest):
        assert f"pipenv {release}, which app `app` pins at .platform.app.yaml:5" in out
