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
