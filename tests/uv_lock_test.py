"""`uv-lock`: what a user sees, and uv's own verdict (`uv lock --check --offline`) on edited
copies of a locked project: whenever lockguard says fresh uv must accept, whenever it says
stale uv must refuse."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from hooks.entry_points import uv_lock as main
from tests.conftest import CORPUS, DATA, needs_corpus, tree_digest

SAMPLE = DATA / "uv" / "sample"
UV = os.path.join(os.path.dirname(sys.executable), "uv")


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, list[str]]:
    code = main(list(argv))
    return code, capsys.readouterr().out.splitlines()


def uv_accepts(directory: Path) -> bool:
    environment = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": str(directory),
        # Not UV_NO_CONFIG: it would also ignore pyproject's [tool.uv] settings.
        "XDG_CONFIG_HOME": str(directory / ".uv-config"),
        "UV_OFFLINE": "1",
        "UV_PYTHON_DOWNLOADS": "never",
        "UV_CACHE_DIR": str(directory / ".uv-cache"),
    }
    result = subprocess.run([UV, "lock", "--check", "--offline"], check=False, cwd=directory, env=environment, capture_output=True, text=True)
    return result.returncode == 0


@pytest.fixture
def sample(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    project = tmp_path / "project"
    shutil.copytree(SAMPLE, project)
    monkeypatch.chdir(project)
    return project


EDITS = [
    # (id, old, new, stale) on the sample's pyproject.toml: the spec's table of uv's verdicts.
    ("comment", "[project]\n", "# a comment\n[project]\n", False),
    ("reorder-dependencies", '    "six>=1.16",\n    "idna ; python_version >= \'3.9\'",\n', '    "idna ; python_version >= \'3.9\'",\n    "six>=1.16",\n', False),
    ("specifier-spelled-longer", '"six>=1.16"', '"six>=1.16.0"', False),
    ("name-case-and-spaces", '"attrs>=23.1"', '"Attrs >= 23.1"', False),
    ("marker-python-full-version", "python_version >= '3.9'", "python_full_version >= '3.9.0'", False),
    ("marker-implied-by-requires-python", "\"idna ; python_version >= '3.9'\"", '"idna"', False),
    ("requires-python-same-range", 'requires-python = ">=3.9"', 'requires-python = ">=3.9.0"', False),
    ("description-changed", "for lockguard's differential tests", "(edited)", False),
    ("include-group-inlined", '{ include-group = "lint" }', '"six"', False),
    ("specifier-changed", '"six>=1.16"', '"six>=1.17"', True),
    ("requirement-added", '"attrs>=23.1",', '"attrs>=23.1",\n    "click>=8",', True),
    ("requirement-removed", '    "attrs>=23.1",\n', "", True),
    ("marker-changed", "python_version >= '3.9'", "python_version >= '3.10'", True),
    ("extra-added", 'cli = ["click>=8"]', 'cli = ["click>=8"]\nall = ["click>=8"]', True),
    ("group-renamed", "lint = [", "style = [", True),
    ("empty-group-added", "[dependency-groups]\n", "[dependency-groups]\nempty = []\n", True),
    ("version-bumped", 'version = "0.1.0"', 'version = "0.2.0"', True),
    ("requires-python-raised", 'requires-python = ">=3.9"', 'requires-python = ">=3.10"', True),
    ("resolution-changed", "[tool.uv]\n", '[tool.uv]\nresolution = "lowest-direct"\n', True),
    ("constraint-removed", 'constraint-dependencies = ["attrs<27"]\n', "", True),
    ("path-source-not-editable", "editable = true", "editable = false", True),
    ("extra-of-a-requirement-dropped", '"greeting[loud]"', '"greeting"', True),
]


@pytest.mark.parametrize(("old", "new", "stale"), [pytest.param(old, new, stale, id=name) for name, old, new, stale in EDITS])
def test_verdict_equals_uv_s(sample: Path, capsys: pytest.CaptureFixture[str], old: str, new: str, stale: bool) -> None:
    text = (sample / "pyproject.toml").read_text()
    assert old in text
    (sample / "pyproject.toml").write_text(text.replace(old, new, 1))
    code, out = run(capsys, "pyproject.toml")
    assert (code == 1) is stale, out
    assert uv_accepts(sample) is not stale
    if stale:
        assert out and all(line.startswith("pyproject.toml:") and " uv-lock uv.lock is out of date: " in line and line.endswith("; run `uv lock` and commit uv.lock") for line in out)


def test_the_sample_is_fresh_for_both(sample: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = tree_digest(sample)
    assert run(capsys, "pyproject.toml", "uv.lock") == (0, [])
    assert uv_accepts(sample)
    for scratch in (".uv-cache", ".uv-config"):
        shutil.rmtree(sample / scratch, ignore_errors=True)
    assert tree_digest(sample) == before


def test_a_difference_is_named(sample: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = (sample / "pyproject.toml").read_text()
    (sample / "pyproject.toml").write_text(text.replace('"six>=1.16"', '"six>=1.17"'))
    # One changed requirement, one finding, at the line that changed.
    line = text.splitlines().index('    "six>=1.16",') + 1
    assert run(capsys, "uv.lock") == (1, [f"pyproject.toml:{line}:1: uv-lock uv.lock is out of date: `app` requires six>=1.17, the lock records six>=1.16; run `uv lock` and commit uv.lock"])


def test_dynamic_dependencies_are_a_note_unless_strict(sample: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = (sample / "pyproject.toml").read_text()
    (sample / "pyproject.toml").write_text(text.replace('description = "', 'dynamic = ["dependencies"]\ndescription = "', 1).replace("dependencies = [\n", "_old = [\n", 1))
    code, out = run(capsys, "pyproject.toml")
    assert code == 0
    assert out == ["pyproject.toml:4:1: uv-lock uv.lock cannot be fully judged without uv: `app` declares its dependencies dynamically, which only a build can tell"]
    assert run(capsys, "pyproject.toml", "--strict")[0] == 1


def test_a_member_s_pyproject_is_judged_with_the_workspace_lock(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    shutil.copytree(SAMPLE, tmp_path / "repo")
    monkeypatch.chdir(tmp_path / "repo")
    # libs/greeting is a path dependency, not a workspace member: its pyproject maps to the
    # root lock, which is fresh.
    assert run(capsys, "libs/greeting/pyproject.toml") == (0, [])


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        pytest.param(
            {"pyproject.toml": '[project]\nname = "a"\nversion = "1"\n\n[tool.uv]\npackage = false\n'}, ["pyproject.toml:1:1: uv-lock has a [tool.uv] table but no uv.lock"], id="missing-lock"
        ),
        pytest.param({"pyproject.toml": '[project]\nname = "a"\nversion = "1"\n\n[tool.uv]\nmanaged = false\n'}, [], id="not-managed"),
        pytest.param({"pyproject.toml": '[project]\nname = "a"\nversion = "1"\n'}, [], id="not-a-uv-project"),
        pytest.param({"uv.lock": "version = 1\n"}, ["uv.lock:1:1: uv-lock has no pyproject.toml beside it"], id="orphan-lock"),
        pytest.param({"pyproject.toml": '[project]\nname = "a"\nversion = "1"\n', "uv.lock": "version = \n"}, ["uv.lock:1:11: uv-lock error: is not valid TOML"], id="bad-lock"),
        pytest.param(
            {"pyproject.toml": '[project]\nname = "a"\nversion = "1"\n', "uv.lock": "version = 2\n"}, ["uv.lock:1:1: uv-lock error: has lock version 2; uv reads version 1 only"], id="future-lock"
        ),
        pytest.param({"pyproject.toml": '[project]\nname = "a"\nversion = "1"\n', "uv.lock": "revision = 5\n"}, ["uv.lock:1:1: uv-lock error: has no integer `version`"], id="no-version"),
        pytest.param({"pyproject.toml": "[project\n", "uv.lock": "version = 1\n"}, ["pyproject.toml:1:9: uv-lock error: is not valid TOML"], id="bad-pyproject"),
    ],
)
def test_small_projects_and_bad_input(in_tmp: Path, capsys: pytest.CaptureFixture[str], files: dict[str, str], expected: list[str]) -> None:
    for name, content in files.items():
        (in_tmp / name).write_text(content)
    before = tree_digest(in_tmp)
    code, out = run(capsys, *files)
    assert code == int(bool(expected))
    assert len(out) == len(expected) and all(line.startswith(prefix) for line, prefix in zip(out, expected)), out
    assert tree_digest(in_tmp) == before


@needs_corpus
@pytest.mark.parametrize(
    "project",
    [CORPUS / "platform" / "CopticScriptorium__cts" / "coptic", CORPUS / "platform" / "upsun__tutorial-chromadb" / "python-app"],
    ids=lambda p: p.parent.name,
)
def test_real_locks_get_uv_s_recorded_verdict(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, project: Path) -> None:
    # ../shared/corpus/platform/VERDICTS.json: uv 0.13.9 found both fresh.
    monkeypatch.chdir(project)
    assert run(capsys, "pyproject.toml", "uv.lock") == (0, [])


WORKSPACE = DATA / "uv" / "workspace"


@pytest.mark.parametrize(
    ("old", "new", "stale"),
    [
        pytest.param('version = "0.3.0"', 'version = "0.3.0"  # member comment', False, id="member-comment"),
        pytest.param('version = "0.3.0"', 'version = "0.4.0"', True, id="member-version"),
        pytest.param("fast = []", "fast = []\nslow = []", True, id="member-extra"),
        pytest.param("dependencies = []", 'dependencies = ["site"]', True, id="member-dependency"),
    ],
)
def test_a_member_edit_is_judged_with_the_workspace_lock(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, old: str, new: str, stale: bool) -> None:
    shutil.copytree(WORKSPACE, tmp_path / "repo")
    monkeypatch.chdir(tmp_path / "repo")
    member = tmp_path / "repo" / "packages" / "core" / "pyproject.toml"
    member.write_text(member.read_text().replace(old, new, 1))
    code, out = run(capsys, "packages/core/pyproject.toml")
    assert (code == 1) is stale, out
    assert uv_accepts(tmp_path / "repo") is not stale
    assert all(line.startswith("packages/core/pyproject.toml:") and " uv-lock uv.lock is out of date: " in line for line in out)


@pytest.mark.parametrize("pattern", ["../*", "/*/*/*/*/*/*", "packages/../../*"])
def test_a_member_pattern_leaving_the_repository_is_named_not_followed(in_tmp: Path, capsys: pytest.CaptureFixture[str], pattern: str) -> None:
    (in_tmp / "pyproject.toml").write_text(f'[project]\nname = "a"\nversion = "1"\n\n[tool.uv.workspace]\nmembers = ["{pattern}"]\n')
    (in_tmp / "uv.lock").write_text('version = 1\nrevision = 3\n\n[[package]]\nname = "a"\nversion = "1"\nsource = { virtual = "." }\n')
    code, out = run(capsys, "pyproject.toml")
    assert (code, out) == (
        1,
        [
            f"pyproject.toml:6:1: uv-lock error: has the workspace member pattern {pattern!r}, which leads outside the repository, so lockguard does not follow it: keep members below the workspace root"
        ],
    )


def test_a_clean_run_says_nothing_about_a_dynamic_version_uv_leaves_out(in_tmp: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # uv writes no version for a member whose version is dynamic, and needs no build to check it.
    (in_tmp / "pyproject.toml").write_text('[project]\nname = "a"\ndynamic = ["version"]\n\n[build-system]\nrequires = ["hatchling"]\nbuild-backend = "hatchling.build"\n')
    (in_tmp / "uv.lock").write_text('version = 1\nrevision = 3\n\n[[package]]\nname = "a"\nsource = { editable = "." }\n')
    assert run(capsys, "pyproject.toml", "uv.lock") == (0, [])
