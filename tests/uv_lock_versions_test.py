"""lock-tool-version against the real uv at two releases that write different uv.lock revisions
(0.8.0 writes 2, 0.13.9 writes 5): each reads a lock of every revision, and rewrites it in its own
when it locks; lock-tool-version reports exactly the locks newer than what the pinned uv writes
(slow: installs uv 0.8.0 once, cached). uv-lock, given the pinned uv, gives each release's verdict of
`uv lock --check --offline` on the corpus's uv cases."""

from __future__ import annotations

import csv
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from hooks.catalogue import BY_ID
from hooks.cli import main as lockguard
from hooks.models.tool_versions import UV_REVISIONS, era_of
from tests.conftest import CORPUS, hook_main, needs_corpus
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


# -- uv-lock with the pinned uv, on the real-world corpus -----------------------------------------

# How many of the corpus's uv cases each release gives a verdict on offline, here: the others
# need a Python this machine lacks (uv looks for the one requires-python names), a package
# missing from the empty cache, or a path outside the case. 81 cases in all.
COMPARED = {"0.8.0": 61, "0.13.9": 58}


def uv_reading_settings(bin_dir: Path, directory: Path, cache: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """uv with the project's [tool.uv] settings read (no UV_NO_CONFIG), the user's config kept out."""
    env = {"PATH": "/usr/bin:/bin", "HOME": str(directory), "UV_CACHE_DIR": str(cache), "UV_PYTHON_DOWNLOADS": "never", "XDG_CONFIG_HOME": str(directory / ".uv-config")}
    return subprocess.run([str(bin_dir / "uv"), *args, "--offline"], cwd=directory, env=env, capture_output=True, text=True, timeout=300)


def uv_verdict(bin_dir: Path, directory: Path, cache: Path) -> str | None:
    """`uv lock --check --offline`: "fresh", "stale" (it re-resolves, or refuses to run for the
    project's required-version), or None when it cannot tell offline."""
    result = uv_reading_settings(bin_dir, directory, cache, "lock", "--check")
    if result.returncode == 0:
        return "fresh"
    if result.returncode == 1 or "Required uv version" in result.stderr:
        return "stale"
    return None


@needs_corpus
@pytest.mark.parametrize("release", RELEASES)
def test_uv_lock_gives_each_uv_s_verdict_on_the_corpus(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], uv_bins: dict[str, Path], release: str) -> None:
    """Each case copied with an app pinning `release` beside its uv.lock: uv-lock fails exactly
    where that uv rejects the lock (uv 0.8.0 also where it cannot read a relative exclude-newer or
    is refused by required-version)."""
    with open(CORPUS / "locks-2" / "MANIFEST.tsv", newline="", encoding="utf-8") as handle:
        cases = [row["case_dir"] for row in csv.DictReader(handle, delimiter="\t") if row["kind"] == "uv"]
    assert len(cases) == 81
    compared, disagreements = 0, []
    for case in cases:
        directory = tmp_path / case
        shutil.copytree(CORPUS / "locks-2" / case, directory)
        theirs = uv_verdict(uv_bins[release], directory, tmp_path / ".uv-cache")
        if theirs is None:
            continue
        compared += 1
        (directory / ".git").mkdir()
        for lock in directory.rglob("uv.lock"):
            (lock.parent / ".platform.app.yaml").write_text(f"name: app\ntype: 'python:3.12'\ndependencies:\n  python3:\n    uv: '{release}'\n")
        monkeypatch.chdir(directory)
        files = sorted(str(p.relative_to(directory)) for p in directory.rglob("*") if p.name in ("pyproject.toml", "uv.lock", ".platform.app.yaml"))
        code = hook_main(BY_ID["uv-lock"])(files)
        out = capsys.readouterr().out
        if ("fresh" if code == 0 else "stale") != theirs:
            disagreements.append((case, theirs, out))
    assert disagreements == []
    assert compared == COMPARED[release]


EDITS = {
    "plain": "",
    "relative-exclude-newer": '\n[tool.uv]\nexclude-newer = "7 days"\n',
    "iso-exclude-newer": '\n[tool.uv]\nexclude-newer = "P1W"\n',
    "absolute-exclude-newer": '\n[tool.uv]\nexclude-newer = "2025-01-01T00:00:00Z"\n',
    "exclude-newer-package": '\n[tool.uv]\nexclude-newer = "2025-01-01T00:00:00Z"\nexclude-newer-package = { app = "2025-06-01T00:00:00Z" }\n',
    "unknown-key-no-options": '\n[tool.uv]\nextra-build-dependencies = { app = ["setuptools"] }\n',
    "unknown-key-with-options": '\n[tool.uv]\nresolution = "lowest-direct"\nextra-build-dependencies = { app = ["setuptools"] }\n',
    "required-version-0.9": '\n[tool.uv]\nrequired-version = ">=0.9"\n',
    "required-version-below-0.9": '\n[tool.uv]\nrequired-version = "<0.9"\n',
}
EDIT_CASES = [(name, release) for name in EDITS for release in RELEASES]


def test_every_edit_and_release_is_compared() -> None:
    assert len(EDIT_CASES) == 18


@pytest.mark.parametrize(("name", "release"), EDIT_CASES, ids=[f"{n}-uv-{r}" for n, r in EDIT_CASES])
def test_uv_lock_gives_the_pinned_uv_s_verdict(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], uv_bins: dict[str, Path], name: str, release: str) -> None:
    """A project locked by the uv that accepts its settings (0.13.9, or 0.8.0 where required-version
    asks for it), checked by the pinned uv and by uv-lock with that pin."""
    pyproject = PYPROJECT + EDITS[name]
    (tmp_path / "pyproject.toml").write_text(pyproject)
    writer = uv_bins["0.8.0"] if "below" in name else uv_bins["0.13.9"]
    locked = uv_reading_settings(writer, tmp_path, tmp_path / ".uv-cache", "lock")
    assert locked.returncode == 0, locked.stderr
    theirs = uv_verdict(uv_bins[release], tmp_path, tmp_path / ".uv-cache")
    assert theirs is not None
    (tmp_path / ".git").mkdir()
    (tmp_path / ".platform.app.yaml").write_text(f"name: app\ntype: 'python:3.11'\ndependencies:\n  python3:\n    uv: '{release}'\n")
    monkeypatch.chdir(tmp_path)
    code = hook_main(BY_ID["uv-lock"])(["pyproject.toml", "uv.lock"])
    out = capsys.readouterr().out
    assert ("fresh" if code == 0 else "stale") == theirs, out
    if theirs == "stale":
        assert f"uv.lock is rejected by uv {release}, which app `app` pins at .platform.app.yaml:5" in out
