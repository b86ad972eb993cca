"""Everyday use, as a user sees it: `--version`, the summary on a terminal, `--fix`,
`--exit-zero`, `--quiet`, `--statistics`, `--output-file`, and the examples' passing folders."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from importlib import metadata
from pathlib import Path

import pytest

from hooks import entry_points
from hooks.catalogue import RULES
from hooks.cli import main
from tests.conftest import tree_digest

ROOT = Path(__file__).resolve().parent.parent


def python(code: str, *argv: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """`code` in a fresh interpreter: what a console script or a pre-commit hook is."""
    return subprocess.run([sys.executable, "-c", code, *argv], cwd=cwd, capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(ROOT)})


# -- --version -------------------------------------------------------------------------------------


def test_lockguard_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["--version"])
    assert caught.value.code == 0
    assert capsys.readouterr() == (f"lockguard {metadata.version('lockguard')}\n", "")


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.id)
def test_every_hook_has_a_version(rule, in_tmp: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        getattr(entry_points, rule.id.replace("-", "_"))(["--version"])
    assert caught.value.code == 0
    assert capsys.readouterr() == (f"lockguard {metadata.version('lockguard')} ({rule.id})\n", "")


def test_what_the_new_flags_need_stays_off_the_hook_path(in_tmp: Path) -> None:
    """A hook's run imports neither `importlib.metadata` (for `--version`) nor the `lockguard`
    command and its formats: start-up is what a hook costs on every commit."""
    (in_tmp / "requirements.txt").write_text("django\n")
    code = "import sys; from hooks.entry_points import requirements_pinned as hook; code = hook(sys.argv[1:]); print(sorted(m for m in ('importlib.metadata', 'hooks.cli', 'hooks.formats', 'hooks.docs') if m in sys.modules))"
    result = python(code, "requirements.txt", cwd=in_tmp)
    assert result.stdout.splitlines()[-1] == "[]", result.stdout + result.stderr
    assert result.stdout.startswith("requirements.txt:1:1: requirements-pinned `django` is not pinned")


# -- the summary on a terminal -----------------------------------------------------------------------

POETRY_APP = {
    ".platform.app.yaml": "name: app\ntype: 'python:3.12'\ndependencies:\n  python3:\n    poetry: '2.1.3'\nvariables:\n  env:\n    PIP_VERSION: '24.3.1'\n"
    "hooks:\n  build: |\n    set -eu\n    python3.12 -m pip install pip==$PIP_VERSION\n    poetry install --no-root\n",
    "pyproject.toml": '[tool.poetry]\nname = "app"\nversion = "0.1.0"\ndescription = ""\nauthors = []\n\n[tool.poetry.dependencies]\npython = "^3.12"\n',
    "requirements.txt": "django>=4\nflask\n",
}


def write(root: Path, files: dict[str, str]) -> None:
    for name, content in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(content)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_verbose_ends_with_a_summary_on_stderr(in_tmp: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(in_tmp, {"requirements.txt": "django>=4\nflask\n", "sub/requirements.txt": "requests\n", "sub/environment.yml": "dependencies:\n  - numpy\n"})
    code, out, err = run(capsys)
    assert (code, err) == (1, "")  # stderr is not a terminal here
    assert run(capsys, "--verbose") == (1, out, f"Found 4 problems in 3 files (2 rules); checked 3 files with {len(RULES)} rules\n")
    assert run(capsys, "-v", "--select", "requirements-pinned") == (
        1,
        "".join(line + "\n" for line in out.splitlines() if " requirements-pinned " in line),
        "Found 3 problems in 2 files (1 rule); checked 2 files with 1 rule\n",
    )


def test_a_clean_run_says_nothing_unless_verbose(in_tmp: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(in_tmp, {"requirements.txt": "django==5.1.4\n", "notes.txt": "not judged\n"})
    assert run(capsys) == (0, "", "")
    assert run(capsys, "-v") == (0, "", f"No problems; checked 1 file with {len(RULES)} rules\n")


def test_the_summary_counts_what_fix_would_fix(in_tmp: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(in_tmp, POETRY_APP)
    code, out, err = run(capsys, "-v", "--select", "platform-poetry-env,requirements-pinned")
    assert code == 1 and len(out.splitlines()) == 3
    assert err == "Found 3 problems in 2 files (2 rules); run with --fix to fix 1; checked 3 files with 2 rules\n"


def test_other_formats_have_no_summary(in_tmp: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(in_tmp, {"requirements.txt": "django\n"})
    for output in ("json", "github", "sarif"):
        assert run(capsys, "-v", "--format", output)[2] == ""


def _on_a_terminal(cwd: Path, *argv: str) -> tuple[int, str, str]:
    """`lockguard argv` with stderr on a pseudo-terminal, as in a shell, and stdout on a pipe."""
    import pty

    controller, terminal = pty.openpty()
    try:
        result = subprocess.run([sys.executable, "-m", "hooks", *argv], cwd=cwd, stdout=subprocess.PIPE, stderr=terminal, env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=120)
        os.close(terminal)
        terminal = -1
        said = b""
        while True:
            try:
                chunk = os.read(controller, 4096)
            except OSError:  # Linux: the terminal's other end is closed
                break
            if not chunk:
                break
            said += chunk
    finally:
        os.close(controller)
        if terminal != -1:
            os.close(terminal)
    return result.returncode, result.stdout.decode(), said.decode().replace("\r\n", "\n")


@pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals are POSIX")
def test_on_a_terminal_the_summary_is_on_stderr_and_stdout_is_unchanged(in_tmp: Path) -> None:
    write(in_tmp, {"requirements.txt": "django>=4\nflask\n"})
    piped = subprocess.run([sys.executable, "-m", "hooks"], cwd=in_tmp, capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert (piped.returncode, piped.stderr) == (1, "")
    assert _on_a_terminal(in_tmp) == (1, piped.stdout, "Found 2 problems in 1 file (1 rule)\n")
    (in_tmp / "requirements.txt").write_text("django==5.1.4\n")
    assert _on_a_terminal(in_tmp) == (0, "", "")


# -- --fix, --exit-zero, --quiet, --statistics, --output-file ------------------------------------


def test_fix_runs_every_fixable_rule(in_tmp: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(in_tmp, POETRY_APP)
    before = (in_tmp / ".platform.app.yaml").read_text()
    code, out, _ = run(capsys, "--select", "platform-poetry-env")
    assert code == 1 and "(or run this hook with --fix)" in out
    assert (in_tmp / ".platform.app.yaml").read_text() == before, "nothing is written without --fix"

    code, out, err = run(capsys, "--fix", "-v", "--select", "platform-poetry-env,requirements-pinned")
    assert code == 1  # what was fixed still fails this run, as a pre-commit fixer does
    assert ".platform.app.yaml:7:1: platform-poetry-env app `app` runs Poetry without" in out and out.count("added them (--fix)") == 1
    assert err == "Found 3 problems in 2 files (2 rules); checked 3 files with 2 rules\n"  # no "run with --fix" while fixing
    assert "POETRY_VIRTUALENVS_IN_PROJECT: true" in (in_tmp / ".platform.app.yaml").read_text()
    assert run(capsys, "--select", "platform-poetry-env") == (0, "", "")


def test_exit_zero(in_tmp: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(in_tmp, {"requirements.txt": "django\n"})
    code, out, _ = run(capsys, "--exit-zero")
    assert code == 0 and out.startswith("requirements.txt:1:1: requirements-pinned")
    assert run(capsys, "--exit-zero", "missing")[0] == 0


def test_quiet_prints_nothing(in_tmp: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(in_tmp, {"requirements.txt": "django\n"})
    assert run(capsys, "-q") == (1, "", "")
    assert run(capsys, "-q", "--statistics") == (1, "", "")
    (in_tmp / "requirements.txt").write_text("django==5.1.4\n")
    assert run(capsys, "-q") == (0, "", "")
    with pytest.raises(SystemExit) as caught:
        main(["-q", "-v"])
    assert caught.value.code == 2 and "not allowed with argument" in capsys.readouterr().err


def test_statistics_count_per_rule_and_kind(in_tmp: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(in_tmp, {**POETRY_APP, "sub/requirements.txt": "requests\n", "environment.yml": "dependencies:\n  - numpy\n"})
    select = ("--select", "requirements-pinned,conda-env-pinned,platform-poetry-env")
    code, out, err = run(capsys, "--statistics", *select)
    assert (code, err) == (1, "")
    assert out == ("3  requirements-pinned  unpinned\n1  conda-env-pinned     unpinned\n1  platform-poetry-env  poetry-env-outside-app  (1 fixable with --fix)\n")
    code, out, _ = run(capsys, "--statistics", "--format", "json", *select)
    assert code == 1 and json.loads(out) == {
        "version": 1,
        "statistics": [
            {"rule": "requirements-pinned", "kind": "unpinned", "count": 3, "fixable": 0},
            {"rule": "conda-env-pinned", "kind": "unpinned", "count": 1, "fixable": 0},
            {"rule": "platform-poetry-env", "kind": "poetry-env-outside-app", "count": 1, "fixable": 1},
        ],
        "summary": {"findings": 5, "failed": True},
    }
    assert run(capsys, "--statistics", "--select", "uv-lock") == (0, "", "")
    with pytest.raises(SystemExit) as caught:
        main(["--statistics", "--format", "sarif"])
    assert caught.value.code == 2 and "--statistics prints text or json, not sarif" in capsys.readouterr().err


@pytest.mark.parametrize("output", ["text", "json", "sarif", "github"])
def test_output_file_holds_what_stdout_would(output: str, in_tmp: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(in_tmp, {"requirements.txt": "django\n", "reports/.keep": ""})
    code, printed, _ = run(capsys, "--format", output)
    (in_tmp / "sub").mkdir()
    os.chdir(in_tmp / "sub")  # the path is the user's, relative to where they stand
    assert run(capsys, "..", "--format", output, "--output-file", "../reports/lockguard.out") == (code, "", "")
    assert (in_tmp / "reports" / "lockguard.out").read_text() == printed
    assert run(capsys, "..", "--format", output, "--output-file", "../reports/lockguard.out", "-q") == (code, "", "")
    assert not [name for name in os.listdir(in_tmp / "reports") if name.endswith(".tmp")]


@pytest.mark.parametrize(
    ("path", "refusal"),
    [
        pytest.param("../report.txt", "is outside the repository, so lockguard does not write it", id="outside"),
        pytest.param("link/report.txt", "is outside the repository, so lockguard does not write it", id="through-a-symlink"),
        pytest.param("nowhere/report.txt", "is in a folder that does not exist", id="missing-folder"),
        pytest.param("requirements.txt", "is a file requirements-pinned judges, so lockguard does not overwrite it with its output", id="a-judged-file"),
        pytest.param("uv.lock", "is a file uv-lock judges, so lockguard does not overwrite it with its output", id="a-lock"),
    ],
)
def test_output_file_is_refused(path: str, refusal: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    repo = tmp_path / "repo"
    write(repo, {"requirements.txt": "django\n"})
    (tmp_path / "elsewhere").mkdir()
    (repo / "link").symlink_to(tmp_path / "elsewhere")
    monkeypatch.chdir(repo)
    before = tree_digest(tmp_path)
    assert run(capsys, "--output-file", path) == (2, "", f"lockguard: error: --output-file {path} {refusal}\n")
    assert tree_digest(tmp_path) == before


def test_output_file_that_cannot_be_written(in_tmp: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(in_tmp, {"requirements.txt": "django\n", "report.txt": "old\n"})
    (in_tmp / "report.txt").chmod(0o444)
    code, out, err = run(capsys, "--output-file", "report.txt")
    assert (code, out) == (2, "")
    assert err == "lockguard: error: --output-file: report.txt is read-only (mode 0444)\n"
    assert (in_tmp / "report.txt").read_text() == "old\n"


# -- the examples' passing folders are clean under every rule ------------------------------------

PASSING = sorted(ROOT.glob("examples/*/passing"))


@pytest.mark.parametrize("folder", PASSING, ids=lambda p: p.parent.name)
def test_a_passing_example_is_clean_under_every_rule(folder: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    assert run(capsys, str(folder.relative_to(ROOT))) == (0, "", "")


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.id)
def test_every_hook_passes_every_passing_example(rule, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    """As pre-commit runs a hook from the repository root on the files of the passing folders
    that its `files` pattern matches."""
    monkeypatch.chdir(ROOT)
    files = sorted(path.relative_to(ROOT).as_posix() for folder in PASSING for path in folder.rglob("*") if path.is_file())
    files = [name for name in files if re.search(rule.files, name)]
    assert getattr(entry_points, rule.id.replace("-", "_"))(files) == 0
    assert capsys.readouterr() == ("", "")


# -- the manifest's stages, through pre-commit -----------------------------------------------------


def test_hooks_run_at_the_manual_stage_and_not_after_a_commit(tmp_path: Path) -> None:
    repo = tmp_path / "app"
    repo.mkdir()
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    (repo / "requirements.txt").write_text("django>=4\n")
    subprocess.run(["git", "-C", str(repo), "add", "."], check=True)
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "home"), "PRE_COMMIT_COLOR": "never"}

    def try_repo(stage: str) -> subprocess.CompletedProcess[str]:
        command = [sys.executable, "-m", "pre_commit", "try-repo", str(ROOT), "requirements-pinned", "--all-files", "--hook-stage", stage]
        return subprocess.run(command, cwd=repo, env=env, capture_output=True, text=True, timeout=600)

    manual = try_repo("manual")
    assert manual.returncode == 1 and "requirements.txt:1:1: requirements-pinned `django>=4` is not pinned" in manual.stdout, manual.stdout + manual.stderr
    after_commit = try_repo("post-commit")
    assert "No hook with id `requirements-pinned` in stage `post-commit`" in after_commit.stdout + after_commit.stderr
