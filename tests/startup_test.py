"""A hook's start-up path: the command lines pre-commit writes are read without argparse, and
read exactly as argparse would; what a hook imports stays what it needs.

Timings live in `benchmarks/startup.py`; these tests hold the causes, which do not vary with the
machine: a module that costs milliseconds to import must not come back on a hook's path.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from hooks.arguments import hook_args
from hooks.catalogue import BY_ID, RULES
from hooks.runner import quick_args

ROOT = Path(__file__).resolve().parent.parent

# (rule, argv) read by the quick path: the result must equal argparse's.
QUICK = [
    ("requirements-pinned", []),
    ("requirements-pinned", ["requirements.txt", "dev/requirements.txt"]),
    ("requirements-pinned", ["--require-hashes", "requirements.txt"]),
    ("requirements-pinned", ["--no-local-paths", "--require-hashes", "a.txt"]),
    ("requirements-pinned", ["--config", "sub/pyproject.toml", "a.txt"]),
    ("requirements-pinned", ["--config=sub/pyproject.toml", "a.txt"]),
    ("requirements-pinned", ["--exclude", "vendor/*", "--exclude=docs/*", "a.txt"]),
    ("uv-lock", ["--strict", "pyproject.toml", "uv.lock"]),
    ("platform-poetry-env", ["--fix", ".platform.app.yaml"]),
    ("platform-poetry-env", [".platform.app.yaml"]),
    ("pipfile-lock", ["Pipfile", "Pipfile.lock", "--exclude", "x/*"]),
]

# Command lines the quick path leaves to argparse (help, version, abbreviations, errors).
TO_ARGPARSE = [
    ("requirements-pinned", ["--help"]),
    ("requirements-pinned", ["-h"]),
    ("requirements-pinned", ["--version"]),
    ("requirements-pinned", ["--require-hash", "a.txt"]),  # an abbreviation
    ("requirements-pinned", ["--config"]),  # a missing value
    ("requirements-pinned", ["--exclude", "--require-hashes"]),
    ("requirements-pinned", ["--require-hashes=yes"]),
    ("requirements-pinned", ["--fix", "a.txt"]),  # not a fixable rule
    ("requirements-pinned", ["--", "-a.txt"]),
    ("pipfile-lock", ["--strict"]),  # another rule's option
]


@pytest.mark.parametrize(("rule", "argv"), QUICK, ids=[" ".join([r, *a]) for r, a in QUICK])
def test_the_quick_path_reads_as_argparse_does(rule: str, argv: list[str]) -> None:
    quick = quick_args(BY_ID[rule], argv)
    assert quick is not None
    assert vars(quick) == vars(hook_args(BY_ID[rule], argv))


@pytest.mark.parametrize(("rule", "argv"), TO_ARGPARSE, ids=[" ".join([r, *a]) for r, a in TO_ARGPARSE])
def test_anything_else_is_left_to_argparse(rule: str, argv: list[str]) -> None:
    assert quick_args(BY_ID[rule], argv) is None


def test_a_file_named_like_an_option_is_left_to_argparse(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "--require-hashes").write_text("")
    assert quick_args(BY_ID["requirements-pinned"], ["--require-hashes"]) is None


# Modules that cost a hook milliseconds of start-up each: argparse (with gettext and locale) and
# importlib.metadata are for `--help` and `--version` only. Every hook, held to 1.3x the floor
# (`python -c "import tomllib"`), needs none of hashlib (OpenSSL), dataclasses (inspect, ast),
# subprocess, packaging, pip's parser or ruamel.yaml on its passing example (YAML is read by
# `plain_yaml`, pylock.toml by `plain_pylock`; lock-tool-version starts git without subprocess),
# and uv-lock and requirements-pinned no JSON.
NO_HOOK_NEEDS = ("argparse", "importlib.metadata")
HOOKS_NEED_NONE_OF = ("gettext", "hashlib", "dataclasses", "inspect", "shutil", "subprocess", "packaging", "pip_requirements_parser", "ruamel")
NO_JSON = ("uv-lock", "requirements-pinned")


def _imported(rule_id: str) -> set[str]:
    """The modules loaded once the hook has judged its passing example (and found it clean)."""
    example = ROOT / "examples" / rule_id / "passing"
    files = sorted(str(p.relative_to(example)) for p in example.rglob("*") if p.is_file() and re.search(BY_ID[rule_id].files, str(p.relative_to(example))))
    probe = (
        "import sys\n"
        "from hooks.entry_points import __getattr__ as hook\n"
        f"code = hook({rule_id.replace('-', '_')!r})({files!r})\n"
        "modules = sorted(sys.modules)\n"
        "import json\n"
        "sys.stderr.write(json.dumps([code, modules]))\n"
    )
    environment = {k: v for k, v in os.environ.items() if k != "LOCKGUARD_DEBUG"}
    result = subprocess.run([sys.executable, "-c", probe], cwd=example, capture_output=True, text=True, env=environment, timeout=60)
    code, modules = json.loads(result.stderr.splitlines()[-1])
    assert code == 0, result.stdout
    return set(modules)


def _loaded(imported: set[str], modules: tuple[str, ...]) -> list[str]:
    return sorted(name for name in imported if any(name == module or name.startswith(module + ".") for module in modules))


@pytest.mark.parametrize("rule", [rule.id for rule in RULES])
def test_a_hook_imports_only_what_it_needs(rule: str) -> None:
    imported = _imported(rule)
    assert _loaded(imported, NO_HOOK_NEEDS) == []
    assert _loaded(imported, HOOKS_NEED_NONE_OF) == []
    if rule in NO_JSON:
        assert _loaded(imported, ("json",)) == []


# -- the console script ends without tearing the interpreter down ----------------------------------

SCRIPTS = Path(sys.executable).parent


@pytest.mark.parametrize(("text", "code", "output"), [("django==5.1.4\n", 0, ""), ("django>=4\n", 1, "requirements.txt:1:1: requirements-pinned `django>=4` is not pinned")])
def test_the_console_script_prints_and_exits_as_the_hook_judged(tmp_path: Path, text: str, code: int, output: str) -> None:
    (tmp_path / "requirements.txt").write_text(text)
    result = subprocess.run([str(SCRIPTS / "requirements-pinned"), "requirements.txt"], cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert (result.returncode, result.stderr) == (code, "")
    assert result.stdout.startswith(output) and result.stdout.count("\n") == (1 if output else 0)


@pytest.mark.parametrize("command", [["requirements-pinned", "requirements.txt"], ["lockguard", "."], ["lockguard", ".", "--format", "json"]])
def test_output_that_cannot_be_written_fails_the_run_in_one_line(tmp_path: Path, command: list[str]) -> None:
    (tmp_path / "requirements.txt").write_text("django>=4\n")
    if not os.path.exists("/dev/full"):
        pytest.skip("no /dev/full on this system to stand for a full disk")
    with open("/dev/full", "w") as full:
        result = subprocess.run([str(SCRIPTS / command[0]), *command[1:]], cwd=tmp_path, stdout=full, stderr=subprocess.PIPE, text=True, timeout=60)
    assert (result.returncode, result.stderr) == (1, "lockguard: cannot write the findings to standard output: No space left on device\n")
