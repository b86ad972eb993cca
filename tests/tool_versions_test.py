"""The lock is judged as the build will judge it: with the pipenv or Poetry release the
Platform.sh/Upsun app (or pyproject.toml) pins, named in the finding with where it is pinned."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import tomlkit

from hooks.cli import main as lockguard
from hooks.models import pipfile as pipfile_model
from hooks.models import poetry as poetry_model
from hooks.models import tool_versions
from tests.conftest import CORPUS, needs_corpus

SOURCE = '[[source]]\nname = "pypi"\nurl = "https://example.org/simple"\nverify_ssl = true\n\n'
SOURCES = [{"name": "pypi", "url": "https://example.org/simple", "verify_ssl": True}]
# A custom category: pipenvs before 2022.10.9 leave it out of the hash, later ones hash it.
CATEGORIES = SOURCE + '[packages]\ndjango = "==5.1.4"\n\n[docs]\nmkdocs = "==1.6.1"\n'
MIXED_CASE = SOURCE + '[packages]\nDjango = "==5.1.4"\n'


def app(tool_lines: str, build: str = "pipenv install --deploy") -> str:
    return f"name: app\ntype: 'python:3.12'\ndependencies:\n  python3:\n{tool_lines}hooks:\n  build: |\n    {build}\n"


def write_pipenv_project(root: Path, pipfile: str, era: str, config: str | None) -> None:
    (root / ".git").mkdir(parents=True, exist_ok=True)
    (root / "Pipfile").write_text(pipfile)
    digest = pipfile_model.era_hash(pipfile_model.read_pipfile(str(root / "Pipfile")), SOURCES, era)
    meta = {"hash": {"sha256": digest}, "pipfile-spec": 6, "requires": {}, "sources": SOURCES}
    (root / "Pipfile.lock").write_text(json.dumps({"_meta": meta, "default": {}, "develop": {}}, indent=4) + "\n")
    if config is not None:
        (root / ".platform.app.yaml").write_text(config)


def check(root: Path, capsys: pytest.CaptureFixture[str], rule: str) -> tuple[int, list[str]]:
    code = lockguard([str(root), "--select", rule])
    return code, capsys.readouterr().out.splitlines()


@needs_corpus
def test_bigfoot_passes_for_the_pipenv_its_app_pins(capsys: pytest.CaptureFixture[str]) -> None:
    """The issue's case: pipenv 2022.9.4 accepts the lock, 2026.10.3 does not; the build runs the former."""
    code, out = check(CORPUS / "platform-2" / "chadwcarlson__django-bigfoot", capsys, "pipfile-lock")
    assert code == 0
    assert out == [
        "Pipfile.lock:4:1: pipfile-lock is in sync for pipenv 2022.9.4, which app `app` pins at .platform.app.yaml:15 "
        "(pipenv older than 2026.4.0 accept it); pipenv 2026.4.0 and later would reject it: upgrade the pin and re-lock together"
    ]


PIPENV_CASES = [
    # (Pipfile, era the lock was hashed in, app config, exit code, the finding's words)
    pytest.param(
        CATEGORIES,
        "normalised-names",
        app("    pipenv: '2022.9.4'\n"),
        1,
        ["is in sync for pipenv 2022.10.9 and later, but not for pipenv 2022.9.4, which app `app` pins at .platform.app.yaml:5"],
        id="pin-older-than-the-lock",
    ),
    pytest.param(CATEGORIES, "sections", app("    pipenv: '2022.9.4'\n"), 0, ["is in sync for pipenv 2022.9.4", "pipenv 2022.10.9 and later would reject it"], id="pin-matches-an-old-lock"),
    pytest.param(CATEGORIES, "sections", app("    pipenv: '2026.10.3'\n"), 1, ["is in sync for pipenv older than 2022.10.9, but not for pipenv 2026.10.3"], id="pin-newer-than-the-lock"),
    pytest.param(
        MIXED_CASE,
        "categories",
        app("    pipenv: '2024.4.1'\n"),
        0,
        ["is in sync for pipenv 2024.4.1, which app `app` pins", "pipenv 2026.4.0 and later would reject it"],
        id="in-sync-for-the-pin-only",
    ),
    pytest.param(
        MIXED_CASE,
        "categories",
        app("", "pip install pipenv==2024.4.1 && pipenv install --deploy"),
        0,
        ["is in sync for pipenv 2024.4.1, which app `app` pins at .platform.app.yaml:7"],
        id="pin-in-the-build-hook",
    ),
    pytest.param(MIXED_CASE, "categories", None, 1, ["is in sync for pipenv older than 2026.4.0 only"], id="no-pin-keeps-todays-verdict"),
    pytest.param(MIXED_CASE, "normalised-names", app("    pipenv: '2026.10.3'\n"), 0, [], id="current-pin-current-lock"),
]


@pytest.mark.parametrize(("pipfile", "era", "config", "code", "words"), PIPENV_CASES)
def test_pipfile_lock_is_judged_by_the_pinned_pipenv(tmp_path: Path, capsys: pytest.CaptureFixture[str], pipfile: str, era: str, config: str | None, code: int, words: list[str]) -> None:
    write_pipenv_project(tmp_path, pipfile, era, config)
    got, out = check(tmp_path, capsys, "pipfile-lock")
    assert got == code, out
    assert len(out) == int(bool(words))
    for word in words:
        assert word in out[0]


POETRY_PYPROJECT = '[project]\nname = "app"\nversion = "0.1.0"\nrequires-python = ">=3.12"\ndependencies = ["django==5.1.4"]\n\n[tool.poetry]\npackage-mode = false\n'


def write_poetry_project(root: Path, pyproject: str, era: str, config: str | None, writer: str = "2.5.1") -> None:
    (root / ".git").mkdir(parents=True, exist_ok=True)
    (root / "pyproject.toml").write_text(pyproject)
    digest = poetry_model.content_hash(tomlkit.parse(pyproject).unwrap(), era)
    header = f"# This file is automatically @generated by Poetry {writer} and should not be changed by hand.\n"
    (root / "poetry.lock").write_text(f'{header}package = []\n\n[metadata]\nlock-version = "2.0"\npython-versions = ">=3.12"\ncontent-hash = "{digest}"\n')
    if config is not None:
        (root / ".platform.app.yaml").write_text(config)


POETRY_CASES = [
    pytest.param(
        POETRY_PYPROJECT,
        "D",
        app("", "pip install poetry==1.8.5 && poetry install"),
        1,
        ["is fresh for Poetry 2.0.0 and later, but not for Poetry 1.8.5, which app `app` pins at .platform.app.yaml:7"],
        id="lock-of-poetry-2-pin-1.8",
    ),
    pytest.param(
        POETRY_PYPROJECT,
        "B",
        app("    poetry: '1.8.5'\n", "poetry install"),
        0,
        ["is fresh for Poetry 1.8.5, which app `app` pins at .platform.app.yaml:5", "Poetry 2.0.0 and later would reject it"],
        id="lock-of-poetry-1.8-pin-1.8",
    ),
    pytest.param(POETRY_PYPROJECT, "B", None, 1, ["was written by Poetry 1.8.5 (1.x), which ignored [project]"], id="no-pin-keeps-todays-verdict"),
    pytest.param(
        POETRY_PYPROJECT + 'requires-poetry = "==1.8.5"\n',
        "B",
        None,
        0,
        ["is fresh for Poetry 1.8.5, which [tool.poetry] requires-poetry names at pyproject.toml:9"],
        id="requires-poetry-pins-one-release",
    ),
    pytest.param(POETRY_PYPROJECT + 'requires-poetry = ">=2.0"\n', "B", None, 1, ["(1.x), which ignored [project]"], id="requires-poetry-range-is-no-pin"),
]


@pytest.mark.parametrize(("pyproject", "era", "config", "code", "words"), POETRY_CASES)
def test_poetry_lock_is_judged_by_the_pinned_poetry(tmp_path: Path, capsys: pytest.CaptureFixture[str], pyproject: str, era: str, config: str | None, code: int, words: list[str]) -> None:
    write_poetry_project(tmp_path, pyproject, era, config, writer="1.8.5" if era == "B" else "2.5.1")
    got, out = check(tmp_path, capsys, "poetry-lock")
    assert got == code, out
    assert len(out) == 1
    for word in words:
        assert word in out[0]


@pytest.mark.parametrize(
    ("table", "version", "era"),
    [
        (tool_versions.PIPENV_HASH_ERAS, "2022.9.4", "sections"),
        (tool_versions.PIPENV_HASH_ERAS, "2022.10.9", "categories-with-pipenv"),
        (tool_versions.PIPENV_HASH_ERAS, "2024.4.1", "categories"),
        (tool_versions.PIPENV_HASH_ERAS, "2026.4.0", "normalised-names"),
        (tool_versions.POETRY_HASH_ERAS, "1.1.15", "A"),
        (tool_versions.POETRY_HASH_ERAS, "1.8.5", "B"),
        (tool_versions.POETRY_HASH_ERAS, "2.0.0b1", "B"),
        (tool_versions.POETRY_HASH_ERAS, "2.2.1", "C"),
        (tool_versions.POETRY_HASH_ERAS, "2.5.1", "D"),
        (tool_versions.UV_REVISIONS, "0.8.3", 2),
        (tool_versions.UV_REVISIONS, "0.13.9", 5),
    ],
)
def test_era_of_a_release(table: tuple, version: str, era: object) -> None:
    assert tool_versions.era_of(table, version) == era


@pytest.mark.parametrize(
    ("spec", "version"),
    [("==0.13.9", "0.13.9"), ("0.13.9", "0.13.9"), (" == 1.8.5 ", "1.8.5"), (">=0.9", None), ("~=2.0", None), ("==2.*", None), (3, None)],
)
def test_only_a_specifier_allowing_one_release_is_a_pin(spec: object, version: str | None) -> None:
    assert tool_versions.exact(spec) == version


# -- uv-lock with the uv the build pins ---------------------------------------------------------

UV_PYPROJECT = '[project]\nname = "app"\nversion = "0.1.0"\nrequires-python = ">=3.11"\ndependencies = []\n'
UV_PACKAGE = '\n[[package]]\nname = "app"\nversion = "0.1.0"\nsource = { virtual = "." }\n'
# What uv 0.13.9 writes for UV_PYPROJECT, with and without a relative exclude-newer.
UV_LOCK = 'version = 1\nrevision = 5\nrequires-python = ">=3.11"\n' + UV_PACKAGE
UV_LOCK_SPAN = (
    'version = 1\nrevision = 5\nrequires-python = ">=3.11"\n\n[options]\n'
    'exclude-newer = "0001-01-01T00:00:00Z" # This has no effect and is included for backwards compatibility when using relative exclude-newer values.\n'
    'exclude-newer-span = "P7D"\n' + UV_PACKAGE
)
SPAN = '\n[tool.uv]\nexclude-newer = "7 days"\n'
PACKAGE_CUTOFF = '\n[tool.uv]\nexclude-newer = "2025-01-01T00:00:00Z"\nexclude-newer-package = { app = "2025-06-01T00:00:00Z" }\n'
UV_LOCK_CUTOFF = (
    'version = 1\nrevision = 5\nrequires-python = ">=3.11"\n\n[options]\nexclude-newer = "2025-01-01T00:00:00Z"\n\n[options.exclude-newer-package]\napp = "2025-06-01T00:00:00Z"\n' + UV_PACKAGE
)


@pytest.mark.parametrize(
    ("pyproject", "lock", "config", "code", "words"),
    [
        pytest.param(UV_PYPROJECT + SPAN, UV_LOCK_SPAN, None, 0, [], id="relative-exclude-newer-without-a-pin"),
        pytest.param(UV_PYPROJECT + SPAN, UV_LOCK_SPAN, app("    uv: '0.13.9'\n", "uv sync --locked"), 0, [], id="relative-exclude-newer-uv-0.13.9"),
        pytest.param(UV_PYPROJECT + SPAN, UV_LOCK_SPAN, app("    uv: '0.9.17'\n", "uv sync --locked"), 0, [], id="relative-exclude-newer-uv-0.9.17"),
        pytest.param(
            UV_PYPROJECT + SPAN,
            UV_LOCK_SPAN,
            app("    uv: '0.8.0'\n", "uv sync --locked"),
            1,
            [
                "pyproject.toml:8:1: uv-lock uv.lock is rejected by uv 0.8.0, which app `app` pins at .platform.app.yaml:5: exclude-newer is '7 days', a relative span uv before 0.9.17 "
                "cannot parse: uv 0.8.0 drops every setting of pyproject.toml and resolves anew, without the settings the lock records (exclude-newer, exclude-newer-span); upgrade the pin"
            ],
            id="relative-exclude-newer-uv-0.8.0",
        ),  # fmt: skip
        pytest.param(
            UV_PYPROJECT + '\n[tool.uv]\nrequired-version = ">=0.9"\n',
            UV_LOCK,
            app("    uv: '0.8.0'\n", "uv sync --locked"),
            1,
            ["pyproject.toml:8:1: uv-lock uv.lock is rejected by uv 0.8.0, which app `app` pins at .platform.app.yaml:5: [tool.uv] required-version is '>=0.9', which uv 0.8.0 does not satisfy"],
            id="required-version-refuses-the-pin",
        ),  # fmt: skip
        pytest.param(UV_PYPROJECT + '\n[tool.uv]\nrequired-version = ">=0.9"\n', UV_LOCK, app("    uv: '0.13.9'\n", "uv sync --locked"), 0, [], id="required-version-allows-the-pin"),
        pytest.param(UV_PYPROJECT + '\n[tool.uv]\nrequired-version = "==0.8.0"\n', UV_LOCK, None, 0, [], id="required-version-is-the-pin"),
        pytest.param(
            UV_PYPROJECT + SPAN + 'required-version = ">=0.9"\n',
            UV_LOCK_SPAN,
            app("    uv: '0.8.0'\n", "uv sync --locked"),
            1,
            ["pyproject.toml:8:1: uv-lock uv.lock is rejected by uv 0.8.0, which app `app` pins at .platform.app.yaml:5: exclude-newer is '7 days'"],
            id="settings-dropped-required-version-ignored-too",
        ),  # fmt: skip
        pytest.param(
            UV_PYPROJECT + PACKAGE_CUTOFF,
            UV_LOCK_CUTOFF,
            app("    uv: '0.8.3'\n", "uv sync --locked"),
            1,
            ["pyproject.toml:9:1: uv-lock uv.lock is rejected by uv 0.8.3, which app `app` pins at .platform.app.yaml:5: exclude-newer-package is a setting uv before 0.8.4 does not know"],
            id="exclude-newer-package-uv-0.8.3",
        ),  # fmt: skip
        pytest.param(UV_PYPROJECT + PACKAGE_CUTOFF, UV_LOCK_CUTOFF, app("    uv: '0.8.4'\n", "uv sync --locked"), 0, [], id="exclude-newer-package-uv-0.8.4"),
        pytest.param(
            UV_PYPROJECT + '\n[tool.uv]\nextra-build-dependencies = { app = ["setuptools"] }\n',
            UV_LOCK,
            app("    uv: '0.8.0'\n", "uv sync --locked"),
            0,
            [],
            id="unknown-setting-but-no-settings-in-the-lock",
        ),  # fmt: skip
        pytest.param(UV_PYPROJECT + '\n[tool.uv]\nrequired-version = "not a specifier"\n', UV_LOCK, app("    uv: '0.8.0'\n", "uv sync --locked"), 0, [], id="unreadable-required-version"),
    ],
)
def test_uv_lock_is_judged_by_the_pinned_uv(tmp_path: Path, capsys: pytest.CaptureFixture[str], pyproject: str, lock: str, config: str | None, code: int, words: list[str]) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / "pyproject.toml").write_text(pyproject)
    (tmp_path / "uv.lock").write_text(lock)
    if config is not None:
        (tmp_path / ".platform.app.yaml").write_text(config)
    got = lockguard([str(tmp_path), "--select", "uv-lock"])
    out = capsys.readouterr().out.splitlines()
    assert got == code, out
    assert len(out) == len(words), out
    for line, word in zip(out, words):
        assert line.startswith(word), out
