"""lock-tool-version against the real uv at two releases that write different uv.lock revisions
(0.8.0 writes 2, 0.13.9 writes 5): each reads a lock of every revision, and rewrites it in its own
when it locks; lock-tool-version reports exactly the locks newer than what the pinned uv writes
(slow: installs uv 0.8.0 once, cached)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from hooks.cli import main as lockguard
from hooks.models.tool_versions import UV_REVISIONS, era_of
from tests.tool_venvs import current_bin, installed

pytestmark = pytest.mark.slow

PYPROJECT = '[project]\nname = "app"\nversion = "0.1.0"\nrequires-python = ">=3.11"\ndependencies = []\n'
RELEASES = ["0.8.0", "0.13.9"]
REVISIONS = [None, 1, 2, 3, 5]
CASES = [(revision, release) for revision in REVISIONS for release in RELEASES]


@pytest.fixture(scope="session")
def uv_bins(pytestconfig: pytest.Config) -> dict[str, Path]:
    return {"0.8.0": installed(pytestconfig, "uv", "0.8.0"), "0.13.9": current_bin()}


def uv(bin_dir: Path, directory: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {"PATH": "/usr/bin:/bin", "HOME": str(directory), "UV_CACHE_DIR": str(directory / ".uv-cache"), "UV_PYTHON": sys.executable, "UV_NO_CONFIG": "1"}
    return subprocess.run([str(bin_dir / "uv"), *args, "--offline"], cwd=directory, env=env, capture_output=True, text=True, timeout=300)


def revision_of(lock: Path) -> int:
    match = re.search(r"^revision = (\d+)$", lock.read_text(), re.MULTILINE)
    return int(match[1]) if match else 0


def test_each_uv_writes_the_revision_of_the_table(tmp_path: Path, uv_bins: dict[str, Path]) -> None:
    for release, bin_dir in uv_bins.items():
        directory = tmp_path / release
        directory.mkdir()
        (directory / "pyproject.toml").write_text(PYPROJECT)
        assert release in uv(bin_dir, directory, "--version").stdout
        assert uv(bin_dir, directory, "lock").returncode == 0
        assert revision_of(directory / "uv.lock") == era_of(UV_REVISIONS, release)


@pytest.mark.parametrize(("revision", "release"), CASES, ids=[f"revision-{r}-uv-{v}" for r, v in CASES])
def test_same_verdict_as_uv(tmp_path: Path, capsys: pytest.CaptureFixture[str], uv_bins: dict[str, Path], revision: int | None, release: str) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / "pyproject.toml").write_text(PYPROJECT)
    revision_line = f"revision = {revision}\n" if revision is not None else ""
    (tmp_path / "uv.lock").write_text(f'version = 1\n{revision_line}requires-python = ">=3.11"\n\n[[package]]\nname = "app"\nversion = "0.1.0"\nsource = {{ virtual = "." }}\n')
    (tmp_path / ".platform.app.yaml").write_text(f"name: app\ntype: 'python:3.11'\ndependencies:\n  python3:\n    uv: '{release}'\nhooks:\n  build: |\n    set -eu\n    uv sync --locked\n")
    bin_dir = uv_bins[release]
    # The pinned uv reads the lock, whatever its revision …
    assert uv(bin_dir, tmp_path, "lock", "--locked").returncode == 0
    # … and rewrites it in its own revision once it has to lock again.
    (tmp_path / "pyproject.toml").write_text(PYPROJECT.replace('"0.1.0"', '"0.1.1"'))
    locked = uv(bin_dir, tmp_path, "lock")
    assert locked.returncode == 0, locked.stderr
    rewritten = revision_of(tmp_path / "uv.lock")
    lowered = (revision or 0) > rewritten
    # lock-tool-version reports the lock the pinned uv would lower, and only that one.
    (tmp_path / "uv.lock").write_text(f'version = 1\n{revision_line}requires-python = ">=3.11"\n')
    (tmp_path / "pyproject.toml").write_text(PYPROJECT)
    code = lockguard([str(tmp_path), "--select", "lock-tool-version"])
    out = capsys.readouterr().out
    assert (code == 1) == lowered, out
    if lowered:
        assert f"writes revision {rewritten}" in out and f"uv {release}, which app `app` pins at .platform.app.yaml:5" in out
