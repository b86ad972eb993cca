"""pipfile-lock with a pylock file beside the Pipfile, against pipenv 2026.10.3 itself.

The base project is what `pipenv lock` wrote with `[pipenv] use_pylock = true`
(tests/data/pipenv-pylock, see its ABOUT.txt). On each edit of it, pipenv judges twice — its
command, `pipenv verify` (the hash check `pipenv install --deploy` makes too), and its own Project:
the hashes it compares (`lockfile.hash()` against `pipfile.calculate_hash()`) and the lock it
installs from (`get_or_create_lockfile`, what `install` and `sync` install) — and the hook must
give the same verdict: the same exit code, the one line that says why, no traceback, no file
written. The `pylock` hook's verdict on the pylock file is asserted beside it: the two hooks
split the work (this one: what pipenv installs and whether it is in sync with the Pipfile; that
one: whether the pylock file locks what Pipfile.lock locks).

pipenv is a test dependency: without it these tests fail, they are not skipped.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from pipenv.project import Project

from hooks.catalogue import BY_ID
from tests.conftest import hook_main, tree_digest

DATA = Path(__file__).parent / "data" / "pipenv-pylock"
SIX_WHEEL_HASH = "4721f391ed90541fddacab5acf947aa0d3dc7d27b2e1e8eda2be8970586c3274"


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} is not in {path.name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _pylock_six(root: Path, version: str) -> None:
    _replace(root / "pylock.toml", 'name = "six"\nversion = "1.17.0"', f'name = "six"\nversion = "{version}"')


def _pipfile_six(root: Path, version: str) -> None:
    _replace(root / "Pipfile", 'six = "==1.17.0"', f'six = "=={version}"')


STALE = re.compile(
    r"Pipfile\.lock:4:1: pipfile-lock is out of date: its hash eaf338bb1bd6… does not match the Pipfile's [0-9a-f]{12}… "
    r"\(pylock\.toml beside it does not change this: pipenv installs and checks Pipfile\.lock whenever there is one\); "
    r"run `pipenv lock` and commit Pipfile\.lock$"
)


def _only_pylock(name: str) -> re.Pattern[str]:
    return re.compile(
        rf"Pipfile:1:1: pipfile-lock has no Pipfile\.lock beside it, only {re.escape(name)}, which records no Pipfile hash: "
        r"the `pipenv sync` of pipenv 2026\.4\.0 and later installs it unchecked, `pipenv verify` fails, and `pipenv install --deploy` "
        rf"re-locks, installing releases nobody tested: run `pipenv lock` and commit Pipfile\.lock with {re.escape(name)}$"
    )


def _remove(name: str) -> Callable[[Path], None]:
    return lambda root: (root / name).unlink()


def _only_named_pylock(root: Path) -> None:
    (root / "Pipfile.lock").unlink()
    (root / "pylock.toml").rename(root / "pylock.prod.toml")


def _both(*edits: Callable[[Path], None]) -> Callable[[Path], None]:
    def edit(root: Path) -> None:
        for one in edits:
            one(root)

    return edit


# (edit of the project pipenv wrote; what pipenv installs from; pipfile-lock's line, or None;
#  the `pylock` hook's exit code, or None where there is no pylock file to judge)
CASES = [
    pytest.param(lambda root: None, "Pipfile.lock", None, 0, id="as-pipenv-wrote-it"),
    pytest.param(lambda root: _pipfile_six(root, "1.16.0"), "Pipfile.lock", STALE, 0, id="pipfile-changed"),
    pytest.param(lambda root: _replace(root / "Pipfile", "use_pylock = true", "use_pylock = false"), "Pipfile.lock", None, 0, id="use-pylock-off"),
    pytest.param(lambda root: _pylock_six(root, "1.16.0"), "Pipfile.lock", None, 1, id="lock-fresh-pylock-stale"),
    pytest.param(lambda root: _replace(root / "pylock.toml", SIX_WHEEL_HASH, "0" * 64), "Pipfile.lock", None, 1, id="pylock-file-hash-edited"),
    pytest.param(_both(lambda root: _pipfile_six(root, "1.16.0"), lambda root: _pylock_six(root, "1.16.0")), "Pipfile.lock", STALE, 1, id="lock-stale-pylock-follows-pipfile"),
    pytest.param(_remove("pylock.toml"), "Pipfile.lock", None, None, id="pylock-removed"),
    pytest.param(_remove("Pipfile.lock"), "pylock.toml", _only_pylock("pylock.toml"), 0, id="lock-removed"),
    pytest.param(_both(_remove("Pipfile.lock"), lambda root: _pipfile_six(root, "1.16.0")), "pylock.toml", _only_pylock("pylock.toml"), 0, id="lock-removed-pipfile-changed"),
    pytest.param(_only_named_pylock, "pylock.prod.toml", _only_pylock("pylock.prod.toml"), 0, id="lock-removed-named-pylock"),
]
COMPARED: list[str] = []


def _environment(home: Path) -> dict[str, str]:
    # No pip configuration (pipenv folds it into the hash) and no virtualenv created.
    return {"PATH": os.environ.get("PATH", ""), "HOME": str(home), "PIP_CONFIG_FILE": os.devnull, "PIPENV_IGNORE_VIRTUALENVS": "1", "PIPENV_VERBOSITY": "-1"}


def _pipenv_installs_from(root: Path) -> tuple[bool, str]:
    """pipenv's own verdict, in process: are the hashes it compares equal, and which file does
    the lock `pipenv install` and `pipenv sync` install come from."""
    project = Project()
    in_sync = project.lockfile.hash() == project.pipfile.calculate_hash()
    installed = project.get_or_create_lockfile(categories=["packages"]).lockfile._data["default"]
    if (root / "Pipfile.lock").is_file() and installed == json.loads((root / "Pipfile.lock").read_text(encoding="utf-8"))["default"]:
        return in_sync, "Pipfile.lock"
    pylock = Path(str(project.lockfile.pylock_location))
    # Read from the pylock file: the versions are the pylock file's.
    assert installed["six"]["version"] == "==" + re.search(r'name = "six"\nversion = "([^"]+)"', pylock.read_text(encoding="utf-8"))[1]  # type: ignore[index]
    return in_sync, pylock.name


@pytest.mark.parametrize(("edit", "installs_from", "expected", "pylock_exit"), CASES)
def test_verdict_equals_pipenv_s(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], edit, installs_from: str, expected, pylock_exit) -> None:
    root = tmp_path / "app"
    shutil.copytree(DATA, root, ignore=shutil.ignore_patterns("ABOUT.txt"))
    (root / ".git").mkdir()
    edit(root)
    monkeypatch.chdir(root)
    for key, value in _environment(tmp_path).items():
        monkeypatch.setenv(key, value)

    verify = subprocess.run([sys.executable, "-m", "pipenv", "verify"], cwd=root, env=_environment(tmp_path), capture_output=True, text=True, timeout=120)
    said = verify.stdout + verify.stderr
    # A verdict, not pipenv failing: it says up-to-date or out-of-date.
    assert ("up-to-date" in said) if verify.returncode == 0 else ("out-of-date" in said), said
    in_sync, source = _pipenv_installs_from(root)
    assert in_sync == (verify.returncode == 0)
    assert source == installs_from

    files = sorted(name for name in os.listdir(root) if name != ".git")
    before = tree_digest(root)
    code = hook_main(BY_ID["pipfile-lock"])(files)
    out, err = capsys.readouterr()
    assert code == verify.returncode, out
    assert "Traceback" not in out + err
    if expected is None:
        assert out == ""
    else:
        assert len(out.splitlines()) == 1 and expected.match(out.rstrip("\n")), out
    if pylock_exit is not None:
        pylock_files = [name for name in files if name.startswith("pylock")]
        assert hook_main(BY_ID["pylock"])(pylock_files) == pylock_exit, capsys.readouterr().out
        capsys.readouterr()
    assert tree_digest(root) == before
    COMPARED.append(f"{'fresh' if in_sync else 'stale'} from {installs_from}")


EXAMPLES = Path(__file__).parent.parent / "examples" / "pipfile-lock"


@pytest.mark.parametrize("folder", ["passing/use-pylock", "failing/only-pylock"])
def test_the_examples_are_judged_as_pipenv_judges_them(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], folder: str) -> None:
    root = tmp_path / "app"
    shutil.copytree(EXAMPLES / folder, root)
    (root / ".git").mkdir()
    monkeypatch.chdir(root)
    verify = subprocess.run([sys.executable, "-m", "pipenv", "verify"], cwd=root, env=_environment(tmp_path), capture_output=True, text=True, timeout=120)
    assert verify.returncode == (0 if folder.startswith("passing") else 1), verify.stdout + verify.stderr
    assert hook_main(BY_ID["pipfile-lock"])(sorted(name for name in os.listdir(root) if name != ".git")) == verify.returncode
    assert "Traceback" not in "".join(capsys.readouterr())


def test_every_case_was_compared_with_pipenv() -> None:
    """Run after the table: every case was judged by both, and each verdict occurred."""
    if len(COMPARED) != len(CASES):
        pytest.skip("run with the whole module: this counts the table's cases")
    assert len(COMPARED) == 10
    assert sorted(set(COMPARED)) == ["fresh from Pipfile.lock", "stale from Pipfile.lock", "stale from pylock.prod.toml", "stale from pylock.toml"]
