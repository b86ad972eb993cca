"""End to end through pre-commit itself: `pre-commit try-repo` installs this repository as a hook
repository (its own environment, from its own files) and runs the hook on a scratch repository."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).parent.parent


def git(repo: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True)


def try_repo(repo: Path, home: Path, hook: str | None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PRE_COMMIT_HOME": str(home), "PRE_COMMIT_COLOR": "never"}
    return subprocess.run(
        [sys.executable, "-m", "pre_commit", "try-repo", str(ROOT), *([hook] if hook else []), "--all-files"],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )


def test_every_hook_through_pre_commit(tmp_path: Path) -> None:
    """All hooks of the manifest on a repository holding every example, failing and passing:
    each hook fails (on its failing example) and reports its examples' findings only."""
    import shutil

    from hooks.catalogue import RULES

    repo = tmp_path / "app"
    shutil.copytree(ROOT / "examples", repo)
    git(repo, "init", "-q")
    git(repo, "add", ".")
    result = try_repo(repo, tmp_path / "pre-commit-home", None)
    assert result.returncode == 1, result.stdout + result.stderr
    for rule in RULES:
        status = next(line for line in result.stdout.splitlines() if line.startswith(rule.id + "."))
        assert status.endswith("Failed"), status
        assert f"{rule.id}/failing/" in result.stdout
    assert "Traceback" not in result.stdout + result.stderr


def test_try_repo_fails_then_passes(tmp_path: Path) -> None:
    repo = tmp_path / "app"
    repo.mkdir()
    git(repo, "init", "-q")
    git(repo, "config", "user.email", "test@example.org")
    git(repo, "config", "user.name", "test")
    (repo / "sub").mkdir()
    (repo / "sub/requirements.txt").write_text("flask==3.0.0\ndjango>=4\n")
    git(repo, "add", ".")
    home = tmp_path / "pre-commit-home"

    failed = try_repo(repo, home, "requirements-pinned")
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert "sub/requirements.txt:2:1: requirements-pinned `django>=4` is not pinned" in failed.stdout

    (repo / "sub/requirements.txt").write_text("flask==3.0.0\ndjango==5.1.4\n")
    git(repo, "add", ".")
    passed = try_repo(repo, home, "requirements-pinned")
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert "Passed" in passed.stdout
