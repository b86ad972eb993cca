from __future__ import annotations

from pathlib import Path

import pytest

from hooks.entry_points import requirements_pinned as main


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, list[str]]:
    code = main(list(argv))
    return code, capsys.readouterr().out.splitlines()


@pytest.mark.parametrize(
    ("pyproject", "expected"),
    [
        pytest.param("[tool.lockguard]\nfoo = 1\n", "pyproject.toml:2:1: requirements-pinned error: unknown key `tool.lockguard.foo`", id="unknown-top-key"),
        pytest.param("[tool.lockguard.no-such-rule]\nx = 1\n", "pyproject.toml:1:1: requirements-pinned error: unknown key `tool.lockguard.no-such-rule`", id="unknown-rule"),
        pytest.param(
            "[tool.lockguard.requirements-pinned]\nno-local-path = true\n",
            "pyproject.toml:2:1: requirements-pinned error: unknown key `tool.lockguard.requirements-pinned.no-local-path` (known: exclude, no-local-paths, require-hashes)",
            id="typo-in-option",
        ),
        pytest.param(
            '[tool.lockguard.requirements-pinned]\n\nno-local-paths = "yes"\n',
            "pyproject.toml:3:1: requirements-pinned error: `tool.lockguard.requirements-pinned.no-local-paths` must be a bool",
            id="wrong-type",
        ),
        pytest.param('[tool.lockguard]\nexclude = "docs"\n', "pyproject.toml:2:1: requirements-pinned error: `tool.lockguard.exclude` must be a list of strings", id="exclude-not-a-list"),
        pytest.param('[tool.lockguard]\nignore = ["uv-lok"]\n', "pyproject.toml:2:1: requirements-pinned error: `tool.lockguard.ignore` names unknown rule 'uv-lok'", id="ignore-unknown-rule"),
        pytest.param("[tool]\nlockguard = 3\n", "pyproject.toml:2:1: requirements-pinned error: `tool.lockguard` must be a table", id="not-a-table"),
        pytest.param("[tool.lockguard\n", "pyproject.toml:1:16: requirements-pinned error: is not valid TOML", id="bad-toml"),
    ],
)
def test_configuration_errors(in_tmp: Path, capsys: pytest.CaptureFixture[str], pyproject: str, expected: str) -> None:
    Path("pyproject.toml").write_text(pyproject)
    Path("requirements.txt").write_text("django==5.1.4\n")
    code, out = run(capsys, "requirements.txt")
    assert code == 1
    assert len(out) == 1 and out[0].startswith(expected)


@pytest.mark.parametrize(
    ("pyproject", "argv", "reported"),
    [
        pytest.param("", [], ["docs/requirements.txt", "requirements.txt"], id="nothing-excluded"),
        pytest.param('[tool.lockguard]\nexclude = ["docs"]\n', [], ["requirements.txt"], id="global-directory"),
        pytest.param('[tool.lockguard.requirements-pinned]\nexclude = ["docs/*.txt"]\n', [], ["requirements.txt"], id="per-rule-glob"),
        pytest.param("", ["--exclude", "docs/*"], ["requirements.txt"], id="hook-arg"),
        pytest.param("", ["--exclude", "requirements.txt"], ["docs/requirements.txt"], id="hook-arg-exact"),
    ],
)
def test_exclude(in_tmp: Path, capsys: pytest.CaptureFixture[str], pyproject: str, argv: list[str], reported: list[str]) -> None:
    Path("pyproject.toml").write_text(pyproject)
    Path("docs").mkdir()
    for name in ("requirements.txt", "docs/requirements.txt"):
        Path(name).write_text("sphinx\n")
    _, out = run(capsys, "requirements.txt", "docs/requirements.txt", *argv)
    assert sorted(line.split(":")[0] for line in out) == reported


def test_explicit_config_file(in_tmp: Path, capsys: pytest.CaptureFixture[str]) -> None:
    Path("lockguard.toml").write_text("[tool.lockguard.requirements-pinned]\nno-local-paths = true\n")
    Path("requirements.txt").write_text("-e .\n")
    assert run(capsys, "requirements.txt")[0] == 0
    assert run(capsys, "requirements.txt", "--config", "lockguard.toml")[0] == 1


def test_a_tool_key_that_is_not_a_table_is_left_to_its_owner(in_tmp) -> None:
    from hooks import settings

    (in_tmp / "pyproject.toml").write_text('tool = "x"\n')
    assert settings.load("pyproject.toml").ignore == ()
