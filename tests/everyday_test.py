"""Everyday use, as a user sees it: `--version`, the summary on a terminal, `--fix`,
`--exit-zero`, `--quiet`, `--statistics`, `--output-file`, and the examples' passing folders."""
from __future__ import annotations

import os
import subprocess
import sys
from importlib import metadata
from pathlib import Path

import pytest

from hooks import entry_points
from hooks.catalogue import RULES
from hooks.cli import main

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
    assert run(capsys, "--verbose") == (1, out, "Found 4 problems in 3 files (2 rules); checked 3 files with 16 rules\n")
    assert run(capsys, "-v", "--select", "requirements-pinned") == (1, "".join(line + "\n" for line in out.splitlines() if " requirements-pinned " in line), "Found 3 problems in 2 files (1 rule); checked 2 files with 1 rule\n")


def test_a_clean_run_says_nothing_unless_verbose(in_tmp: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(in_tmp, {"requirements.txt": "django==5.1.4\n", "notes.txt": "not judged\n"})
    assert run(capsys) == (0, "", "")
    assert run(capsys, "-v") == (0, "", "No problems; checked 1 file with 16 rules\n")


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
