"""`platform-poetry-env --fix` never writes a broken config or loses data (issue 12).

The edit lands in the app it is for, whatever the config's form; a shared anchor or a merge key
is refused rather than edited for every app that uses it. The rewrite keeps the file's encoding,
byte-order mark, line ends, mode, owner, symlink and hard links, and a run killed mid-write leaves
nothing the next run does not clean up. Every refusal is one `fix-refused` line and exit code 1,
with the file byte for byte as it was.
"""

from __future__ import annotations

import codecs
import hashlib
import os
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from hooks import reading, runner, writing
from hooks.catalogue import BY_ID
from hooks.models import app_config
from tests.conftest import hook_main

poetry_env = hook_main(BY_ID["platform-poetry-env"])
VARIABLES = {"POETRY_VIRTUALENVS_IN_PROJECT": "true", "POETRY_VIRTUALENVS_CREATE": "true"}
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def repo(in_tmp: Path) -> Path:
    """An empty repository (its `.git` marks the root) as the current directory."""
    (in_tmp / ".git").mkdir()
    return in_tmp


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def apps(path: str) -> dict[str, Any]:
    """`{name: app}` of a config as the platform reads it; the file must load."""
    text = reading.decode(path, Path(path).read_bytes())
    found, errors = app_config.parse(path, text)
    assert not errors, errors
    return {app.name: app for app in found}


def settings(app: Any) -> Any:
    """An app's settings as plain data, to compare before and after."""

    def plain(value: Any) -> Any:
        if isinstance(value, dict):
            return {str(k): plain(v) for k, v in value.items()}
        if isinstance(value, list):
            return [plain(v) for v in value]
        return value

    return plain(app.data)


def fixed(capsys: pytest.CaptureFixture[str], path: str) -> str:
    """Run `--fix` on `path`, which it must fix; the output line."""
    assert poetry_env(["--fix", path]) == 1
    out = capsys.readouterr().out.splitlines()
    assert len(out) == 1 and out[0].endswith("added them (--fix)"), out
    return out[0]


def refused(capsys: pytest.CaptureFixture[str], path: str, *words: str) -> str:
    """Run `--fix` on `path`, which it must refuse in one `fix-refused` line naming `words`,
    writing nothing."""
    before = {p: digest(p) for p in Path().rglob("*") if p.is_file() and ".git" not in p.parts}
    assert poetry_env(["--fix", path]) == 1
    out = capsys.readouterr().out.splitlines()
    assert len(out) == 1 and "--fix wrote nothing" in out[0] and "by hand" in out[0], out
    assert all(word in out[0] for word in words), out
    found = runner.judge(BY_ID["platform-poetry-env"], [path], SimpleNamespace(fix=True, root="."))
    assert [item.kind for item in found] == ["fix-refused"] and found[0].fix.command is None
    assert {p: digest(p) for p in Path().rglob("*") if p.is_file() and ".git" not in p.parts} == before
    assert not list(Path().rglob(".lockguard-*.tmp"))
    return out[0]


# -- 1-4: the edit lands in the app it is for, or nowhere ---------------------------------------

BUILD = "hooks:\n  build: poetry install\n"


def indented(text: str, spaces: int) -> str:
    return "".join(" " * spaces + line if line else line for line in text.splitlines(keepends=True))


@pytest.mark.parametrize(
    ("path", "config", "app", "keys"),
    [
        pytest.param(
            ".platform/applications.yaml",
            "api:\n  stack: [python@3.12]\n" + indented(BUILD, 2) + "web:\n  type: nodejs:22\n",
            "api",
            ["api", "web"],
            id="composable-app-in-keyed-applications",
        ),
        pytest.param(".upsun/config.yaml", "applications:\n  1:\n    type: python:3.12\n" + indented(BUILD, 4), "1", ["applications"], id="upsun-integer-name"),
        pytest.param(
            ".upsun/config.yaml",
            "applications:\n  2:\n    type: nodejs:22\n  '1':\n    type: python:3.12\n" + indented(BUILD, 4),
            "1",
            ["applications"],
            id="upsun-quoted-number-name",
        ),
        pytest.param(
            ".upsun/config.yaml",
            "applications:\n  api:\n    type: python:3.12\n    variables: &vars\n      env:\n        A: '1'\n" + indented(BUILD, 4),
            "api",
            ["applications"],
            id="anchor-nobody-uses",
        ),
    ],
)
def test_fix_edits_the_app_and_nothing_else(repo: Path, capsys: pytest.CaptureFixture[str], path: str, config: str, app: str, keys: list[str]) -> None:
    Path(path).parent.mkdir(exist_ok=True)
    Path(path).write_text(config)
    before = apps(path)
    fixed(capsys, path)
    after = apps(path)
    assert set(after) == set(before)
    assert after[app].env.items() >= VARIABLES.items()
    assert all(settings(after[name]) == settings(before[name]) for name in before if name != app)
    assert [str(key) for key in app_config.yaml.parse(path, Path(path).read_text())] == keys
    assert poetry_env([path]) == 0


MERGED = [
    pytest.param(
        ".platform.app.yaml",
        "defaults: &d\n  variables:\n    python:\n      X: 1\nname: app\n<<: *d\ntype: python:3.12\n" + BUILD,
        id="variables-merged",
    ),
    pytest.param(
        ".upsun/config.yaml",
        ".base: &base\n  variables:\n    env:\n      A: '1'\napplications:\n  api:\n    <<: *base\n    type: python:3.12\n" + indented(BUILD, 4),
        id="variables-with-env-merged",
    ),
    pytest.param(".platform.app.yaml", "name: app\ntype: python:3.12\nvariables:\n  <<: &e\n    env:\n      A: '1'\n" + BUILD, id="env-merged-into-variables"),
]


@pytest.mark.parametrize(("path", "config"), MERGED)
def test_fix_refuses_variables_from_a_merge_key(repo: Path, capsys: pytest.CaptureFixture[str], path: str, config: str) -> None:
    Path(path).parent.mkdir(exist_ok=True)
    Path(path).write_text(config)
    refused(capsys, path, "<<:")


SHARED = [
    pytest.param(
        "applications:\n  web:\n    type: nodejs:22\n    variables: &vars\n      env:\n        A: '1'\n  api:\n    type: python:3.12\n    variables: *vars\n" + indented(BUILD, 4),
        id="alias-of-another-apps-variables",
    ),
    pytest.param(
        "applications:\n  api:\n    type: python:3.12\n    variables: &vars\n      env:\n        A: '1'\n" + indented(BUILD, 4) + "  web:\n    type: nodejs:22\n    variables: *vars\n",
        id="anchor-another-app-uses",
    ),
    pytest.param(
        "applications:\n  web:\n    type: nodejs:22\n    variables:\n      env: &env\n        A: '1'\n  api:\n    type: python:3.12\n    variables:\n      env: *env\n" + indented(BUILD, 4),
        id="shared-env",
    ),
    pytest.param(
        "applications:\n  api:\n    type: python:3.12\n    variables: &vars\n      env:\n        A: '1'\n" + indented(BUILD, 4) + "  web:\n    type: nodejs:22\n    variables:\n      <<: *vars\n",
        id="anchor-another-app-merges",
    ),
]


@pytest.mark.parametrize("config", SHARED)
def test_fix_refuses_a_shared_anchor(repo: Path, capsys: pytest.CaptureFixture[str], config: str) -> None:
    Path(".upsun").mkdir()
    Path(".upsun/config.yaml").write_text(config)
    refused(capsys, ".upsun/config.yaml", "shared")


# -- 5: files the user keeps read-only, and writes the system refuses --------------------------

NEEDS_FIX = "name: app\ntype: python:3.12\n" + BUILD


def test_fix_refuses_a_read_only_file(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = Path(".platform.app.yaml")
    config.write_text(NEEDS_FIX)
    config.chmod(0o444)
    refused(capsys, ".platform.app.yaml", "read-only")
    assert stat.S_IMODE(config.stat().st_mode) == 0o444


def test_fix_refuses_a_read_only_directory(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    Path(".upsun").mkdir()
    Path(".upsun/config.yaml").write_text("applications:\n  api:\n    type: python:3.12\n" + indented(BUILD, 4))
    Path(".upsun").chmod(0o555)
    try:
        refused(capsys, ".upsun/config.yaml", "read-only directory")
    finally:
        Path(".upsun").chmod(0o755)


def test_a_write_the_system_refuses_is_a_finding(repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    """What a read-only file system or a directory the user cannot write gives: one line."""

    def denied(*args: object, **kwargs: object) -> None:
        raise PermissionError(13, "Permission denied")

    Path(".platform.app.yaml").write_text(NEEDS_FIX)
    monkeypatch.setattr(writing.tempfile, "mkstemp", denied)
    refused(capsys, ".platform.app.yaml", "Permission denied")


# -- 6: what the file is stays what it was -----------------------------------------------------


def test_fix_writes_through_a_symlink_inside_the_repository(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    Path("config").mkdir()
    Path("config/app.yaml").write_text(NEEDS_FIX)
    Path(".platform.app.yaml").symlink_to("config/app.yaml")
    fixed(capsys, ".platform.app.yaml")
    assert os.readlink(".platform.app.yaml") == "config/app.yaml"
    assert apps(".platform.app.yaml")["app"].env.items() >= VARIABLES.items()  # read through the link


def test_fix_refuses_a_symlink_leading_outside(repo: Path, tmp_path_factory: pytest.TempPathFactory, capsys: pytest.CaptureFixture[str]) -> None:
    outside = tmp_path_factory.mktemp("outside") / "app.yaml"
    outside.write_text(NEEDS_FIX)
    before = digest(outside)
    Path(".platform.app.yaml").symlink_to(outside)
    assert poetry_env(["--fix", ".platform.app.yaml"]) == 1
    assert "outside the repository" in capsys.readouterr().out
    assert digest(outside) == before and Path(".platform.app.yaml").is_symlink()


def test_writing_refuses_a_symlink_leading_outside(repo: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    """The writer holds the boundary itself, whoever calls it."""
    outside = tmp_path_factory.mktemp("outside") / "app.yaml"
    outside.write_text("a: 1\n")
    Path("link.yaml").symlink_to(outside)
    reading.confine(str(repo))
    try:
        with pytest.raises(writing.Refused, match="outside the repository"):
            writing.write_atomic("link.yaml", "a: 2\n")
    finally:
        reading.confine(None)
    assert outside.read_text() == "a: 1\n" and Path("link.yaml").is_symlink()


def test_fix_refuses_a_hard_linked_file(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Replacing the file would split the links, and writing in place is not atomic."""
    Path(".platform.app.yaml").write_text(NEEDS_FIX)
    os.link(".platform.app.yaml", "backup.yaml")
    refused(capsys, ".platform.app.yaml", "hard links")
    assert os.path.samefile(".platform.app.yaml", "backup.yaml") and os.stat("backup.yaml").st_nlink == 2


def test_fix_keeps_mode_owner_and_group(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = Path(".platform.app.yaml")
    config.write_text(NEEDS_FIX)
    config.chmod(0o640)
    owner = (1234, 5678) if os.geteuid() == 0 else (os.getuid(), os.getgid())
    os.chown(config, *owner)
    fixed(capsys, ".platform.app.yaml")
    info = config.stat()
    assert (stat.S_IMODE(info.st_mode), info.st_uid, info.st_gid) == (0o640, *owner)


@pytest.mark.parametrize(
    ("encoding", "bom"),
    [
        pytest.param("utf-8", b"", id="utf-8"),
        pytest.param("utf-8", codecs.BOM_UTF8, id="utf-8-bom"),
        pytest.param("utf-16-le", codecs.BOM_UTF16_LE, id="utf-16-le"),
        pytest.param("utf-16-be", codecs.BOM_UTF16_BE, id="utf-16-be"),
        pytest.param("utf-32-le", codecs.BOM_UTF32_LE, id="utf-32-le"),
    ],
)
@pytest.mark.parametrize(
    ("ends", "new_end"),
    [
        pytest.param(["\n"], "\n", id="lf"),
        pytest.param(["\r\n"], "\r\n", id="crlf"),
        pytest.param(["\r\n", "\r\n", "\n"], "\r\n", id="mostly-crlf"),
        pytest.param(["\n", "\r\n", "\n"], "\n", id="mostly-lf"),
    ],
)
def test_fix_keeps_encoding_and_line_ends(repo: Path, capsys: pytest.CaptureFixture[str], encoding: str, bom: bytes, ends: list[str], new_end: str) -> None:
    """Lines the file had keep their ends; the added lines take the file's dominant one."""
    lines = ["# café", "name: app", "type: python:3.12", "hooks:", "  build: poetry install"]
    old = [line + ends[index % len(ends)] for index, line in enumerate(lines)]
    Path(".platform.app.yaml").write_bytes(bom + "".join(old).encode(encoding))
    fixed(capsys, ".platform.app.yaml")
    data = Path(".platform.app.yaml").read_bytes()
    assert data.startswith(bom)
    text = data[len(bom) :].decode(encoding)
    new = text.splitlines(keepends=True)
    assert [line for line in new if line in old] == old
    assert all(line.endswith(new_end) for line in new if line not in old) and len(new) == len(old) + 4
    assert apps(".platform.app.yaml")["app"].env.items() >= VARIABLES.items()


# -- 6: a run killed mid-write ------------------------------------------------------------------

KILLED_WRITE = """
import os, sys, time
sys.path.insert(0, sys.argv[1])
from hooks import writing
writing.os.replace = lambda *args: time.sleep(60)  # killed before the rename
writing.write_atomic(".platform.app.yaml", open(".platform.app.yaml").read() + "# new\\n")
"""


def test_a_run_killed_mid_write_leaves_nothing_the_next_run_keeps(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = Path(".platform.app.yaml")
    config.write_text(NEEDS_FIX)
    before = digest(config)
    process = subprocess.Popen([sys.executable, "-c", KILLED_WRITE, str(ROOT)])
    try:
        deadline = time.monotonic() + 20
        while not list(repo.glob(".lockguard-*.tmp")) and time.monotonic() < deadline and process.poll() is None:
            time.sleep(0.02)
        time.sleep(0.1)  # the temporary is written and flushed before the rename it waits in
    finally:
        os.kill(process.pid, signal.SIGKILL)
        process.wait()
    left = list(repo.glob(".lockguard-*.tmp"))
    assert len(left) == 1 and digest(config) == before
    # Hidden and named `.tmp`: never taken for a config, by lockguard or by the platform.
    assert app_config.config_files(".") == [".platform.app.yaml"]
    fixed(capsys, ".platform.app.yaml")
    assert not list(repo.glob(".lockguard-*.tmp"))


def test_stale_temporaries_go_and_live_ones_stay(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    dead = subprocess.Popen(["true"])  # a process that has ended: its pid is free
    dead.wait()
    stale = [f".lockguard-{dead.pid}-abcd_123.tmp", ".lockguard-x1y2z3w4.tmp"]  # a killed run's, and one from before pids were in the name
    live = ".lockguard-1-abcd_123.tmp"  # pid 1 is always running: another lockguard may be writing it
    for name in [*stale, live]:
        Path(name).write_text("partial")
    Path(".platform.app.yaml").write_text(NEEDS_FIX)
    fixed(capsys, ".platform.app.yaml")
    assert sorted(p.name for p in repo.glob(".lockguard-*.tmp")) == [live]
