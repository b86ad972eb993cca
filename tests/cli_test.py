from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from hooks.catalogue import RULES
from hooks.cli import main
from tests.conftest import tree_digest

EXAMPLES = Path(__file__).parent.parent / "examples"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, list[str]]:
    code = main(list(argv))
    return code, capsys.readouterr().out.splitlines()


def write(files: dict[str, str]) -> None:
    for name, content in files.items():
        Path(name).parent.mkdir(parents=True, exist_ok=True)
        Path(name).write_text(content)


def test_walks_the_tree_and_skips_what_is_not_the_project(in_tmp: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(
        {
            "requirements.txt": "django>=4\n",
            "services/api/requirements/base.txt": "flask\n",
            "node_modules/x/requirements.txt": "a\n",
            ".venv/lib/requirements.txt": "a\n",
            "env/pyvenv.cfg": "",
            "env/lib/requirements.txt": "a\n",
            ".git/requirements.txt": "a\n",
            "requirements.in": "loose\n",
        }
    )
    code, out = run(capsys)
    assert code == 1
    assert [line.split(":")[0] for line in out] == ["requirements.txt", "services/api/requirements/base.txt"]


def test_git_ignored_files_are_skipped(in_tmp: Path, capsys: pytest.CaptureFixture[str]) -> None:
    subprocess.run(["git", "init", "-q"], check=True)
    write({".gitignore": "build/\n", "build/requirements.txt": "a\n", "requirements.txt": "b\n"})
    _, out = run(capsys, ".")
    assert [line.split(":")[0] for line in out] == ["requirements.txt"]


def test_clean_tree_exits_zero(in_tmp: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write({"requirements.txt": "django==5.1.4\n"})
    assert run(capsys) == (0, [])


def test_select_and_ignore(in_tmp: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write({"requirements.txt": "django\n"})
    assert run(capsys, "--ignore", "requirements-pinned")[0] == 0
    assert run(capsys, "--select", "requirements-pinned")[0] == 1


def test_ignore_in_configuration(in_tmp: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write({"requirements.txt": "django\n", "pyproject.toml": '[tool.lockguard]\nignore = ["requirements-pinned"]\n'})
    assert run(capsys)[0] == 0


def test_unknown_rule_is_a_usage_error(in_tmp: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["--select", "requirements-pined"])
    assert caught.value.code == 2
    assert "unknown rule 'requirements-pined'" in capsys.readouterr().err


def test_missing_path_is_one_error_line(in_tmp: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["nowhere"]) == 1
    assert capsys.readouterr().out == "nowhere:1:1: lockguard error: does not exist\n"


def test_a_file_path_is_checked_directly(in_tmp: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write({"a/requirements.txt": "x\n", "b/requirements.txt": "y\n"})
    _, out = run(capsys, "a/requirements.txt")
    assert [line.split(":")[0] for line in out] == ["a/requirements.txt"]


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.id)
def test_examples(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, rule) -> None:
    """Every rule ships a failing and a passing example project; the README runs them."""
    before = tree_digest(EXAMPLES)
    monkeypatch.chdir(EXAMPLES / rule.id)
    code, out = run(capsys, "failing", "--select", rule.id)
    assert code == 1 and out and all(f" {rule.id} " in line for line in out)
    assert run(capsys, "passing", "--select", rule.id) == (0, [])
    assert tree_digest(EXAMPLES) == before


def test_python_dash_m_hooks_is_the_command(in_tmp: Path) -> None:
    write({"requirements.txt": "django\n"})
    result = subprocess.run([sys.executable, "-m", "hooks"], capture_output=True, text=True, cwd=in_tmp, env={"PYTHONPATH": str(Path(__file__).parent.parent), "PATH": "/usr/bin:/bin"})
    assert result.returncode == 1
    assert result.stdout.startswith("requirements.txt:1:1: requirements-pinned `django` is not pinned")
    assert result.stderr == ""


def test_parallel_run_prints_what_a_sequential_run_prints(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    import hooks.cli

    monkeypatch.setattr(hooks.cli, "PARALLEL_FROM_FILES", 0)
    monkeypatch.chdir(EXAMPLES)
    sequential = run(capsys, ".", "--jobs", "1")
    parallel = run(capsys, ".", "--jobs", "2")
    assert sequential == parallel
    assert sequential[0] == 1 and len(sequential[1]) > 20


LOCK_FORMATS = ("requirements-pinned", "pipfile-lock", "poetry-lock", "uv-lock", "pdm-lock", "pylock")


def test_one_run_covers_a_repository_of_all_six_lock_formats(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    """Pinned requirements, Pipfile.lock, poetry.lock, uv.lock, pdm.lock and pylock.toml, one
    folder each: `lockguard .` is clean on the passing examples, and on the failing ones reports
    exactly what each rule reports on its own example, under that folder."""
    expected = []
    for rule in LOCK_FORMATS:
        monkeypatch.chdir(EXAMPLES / rule)
        code, out = run(capsys, "failing", "--select", rule)
        assert code == 1 and out
        expected += [line.replace(f"examples/{rule}/failing/", f"{rule}/") for line in out]  # paths are shown from the repository root
    repository = tmp_path / "repository"
    repository.mkdir()
    monkeypatch.chdir(repository)
    subprocess.run(["git", "init", "-q"], check=True)
    for rule in LOCK_FORMATS:
        shutil.copytree(EXAMPLES / rule / "passing", rule)
    assert run(capsys, ".") == (0, [])
    for rule in LOCK_FORMATS:
        shutil.rmtree(rule)
        shutil.copytree(EXAMPLES / rule / "failing", rule)
    code, out = run(capsys, ".")
    assert code == 1
    assert sorted(out) == sorted(expected)
    assert {line.split("/", 1)[0] for line in out} == set(LOCK_FORMATS)
