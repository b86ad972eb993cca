"""The edges every command shares (`hooks.face`, `hooks.repository`): one repository root, the
same findings however a path is spelt, nothing read outside the repository, nothing run from it,
output that cannot be forged, and quiet ends on a closed pipe."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from hooks.catalogue import BY_ID, RULES
from hooks.cli import main as lockguard
from hooks.findings import COMMON_KINDS
from tests.conftest import CORPUS, hook_main, tree_digest

ROOT = Path(__file__).resolve().parent.parent
SECRET = "TOPSECRET-do-not-print"
PLATFORM_2 = sorted(p.name for p in (CORPUS / "platform-2").iterdir() if p.is_dir()) if (CORPUS / "platform-2").is_dir() else []


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    code = lockguard(list(argv))
    return code, capsys.readouterr().out


def test_spellings_of_the_examples_give_identical_findings(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(ROOT)
    link = tmp_path / "checkout"
    link.symlink_to(ROOT)
    outputs = {spelling: _run(capsys, spelling) for spelling in ("examples", str(ROOT / "examples"), "./examples/../examples", str(link / "examples"))}
    first = outputs["examples"]
    assert first[0] == 1 and first[1].startswith("examples/")
    assert all(output == first for output in outputs.values()), {k: v[1][:200] for k, v in outputs.items()}


@pytest.mark.skipif(not PLATFORM_2, reason="../shared/corpus is absent (a user's clone): corpus tests need the shared corpus beside the repository")
@pytest.mark.parametrize("repo", PLATFORM_2)
def test_spellings_of_a_real_app_give_identical_findings(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, repo: str) -> None:
    monkeypatch.chdir(CORPUS)
    before = tree_digest(CORPUS / "platform-2" / repo)
    spellings = (f"platform-2/{repo}", str(CORPUS / "platform-2" / repo), f"./platform-2/{repo}/../{repo}")
    outputs = [_run(capsys, spelling) for spelling in spellings]
    assert outputs[1] == outputs[0] and outputs[2] == outputs[0]
    # Printed relative to the checked folder, the repository root of a folder outside git.
    assert all(not line.startswith(("/", "..", "platform-2")) for line in outputs[0][1].splitlines())
    assert tree_digest(CORPUS / "platform-2" / repo) == before


def test_an_unparsable_app_config_is_one_error_line(in_tmp: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (in_tmp / ".upsun").mkdir()
    (in_tmp / ".upsun" / "config.yaml").write_text("applications:\n  app:\n    type: 'python:3.12\n")
    (in_tmp / "requirements.txt").write_text("django==5.1.4\n")
    code, out = _run(capsys, ".")
    assert code == 1
    assert out.count("\n") == 1 and out.startswith(".upsun/config.yaml:") and " lockguard error: is not valid YAML" in out


def test_every_json_finding_has_a_declared_kind(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    _, out = _run(capsys, "examples", "--format", "json")
    findings = json.loads(out)["findings"]
    assert len(findings) > 30
    for item in findings:
        declared = {**COMMON_KINDS, **(BY_ID[item["rule"]].kinds if item["rule"] in BY_ID else {})}
        assert item["kind"] in declared, item
        assert "fix" in item and (item["fix"] is None or item["message"].endswith(item["fix"]["text"])), item
    with_fix = [item for item in findings if item["fix"]]
    assert len(with_fix) * 10 >= len(findings) * 9, "nine findings in ten say how to fix them, as data"


def test_every_rule_declares_its_kinds() -> None:
    assert all(rule.kinds for rule in RULES)
    assert all(kind == kind.lower() and " " not in kind for rule in RULES for kind in rule.kinds)


# -- the repository boundary ---------------------------------------------------------------------


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A git work tree (a `.git` folder is enough to find the root) beside a secret file."""
    (tmp_path / "outside").mkdir()
    (tmp_path / "outside" / "secret.txt").write_text(f"{SECRET}>=1\n")
    root = tmp_path / "repo"
    (root / ".git").mkdir(parents=True)
    monkeypatch.chdir(root)
    return root


@pytest.mark.parametrize(
    "line",
    [
        pytest.param("-r ../outside/secret.txt", id="r-parent"),
        pytest.param("-c ../outside/secret.txt", id="c-parent"),
        pytest.param("-r {tmp}/outside/secret.txt", id="r-absolute"),
        pytest.param("-r sub/../../outside/secret.txt", id="r-dotdot"),
    ],
)
def test_an_include_leaving_the_repository_is_named_never_read(repo: Path, capsys: pytest.CaptureFixture[str], line: str) -> None:
    reference = line.format(tmp=repo.parent)
    (repo / "requirements.txt").write_text(f"django==5.1.4\n{reference}\n")
    for run in (lambda: hook_main(BY_ID["requirements-pinned"])(["requirements.txt"]), lambda: lockguard(["."])):
        assert run() == 1
        out = capsys.readouterr().out
        assert SECRET not in out
        assert f"requirements.txt:2:1: requirements-pinned `{reference}`: the included file leads outside the repository" in out


def test_a_committed_symlink_out_of_the_repository_is_not_read(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (repo / "constraints.txt").symlink_to(repo.parent / "outside" / "secret.txt")
    assert hook_main(BY_ID["requirements-pinned"])(["constraints.txt"]) == 1
    out = capsys.readouterr().out
    assert SECRET not in out
    assert out.startswith("constraints.txt:1:1: requirements-pinned error: leads outside the repository")


def test_an_argument_outside_the_repository_is_an_error(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert hook_main(BY_ID["requirements-pinned"])(["../outside/secret.txt"]) == 1
    out = capsys.readouterr().out
    assert SECRET not in out and out == "../outside/secret.txt:1:1: requirements-pinned error: is outside the repository, so lockguard does not read it\n"


def test_git_runs_none_of_the_repository_s_commands(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    root = tmp_path / "repo"
    root.mkdir()
    marker = tmp_path / "ran"
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    (root / "requirements.txt").write_text("django\n")
    subprocess.run(["git", "-C", str(root), "add", "requirements.txt"], check=True)
    hook = root / "evil.sh"
    hook.write_text(f"#!/bin/sh\ntouch {marker}\n")
    hook.chmod(0o755)
    for setting in ("core.fsmonitor", "core.sshCommand", "diff.external", "core.pager", "core.alternateRefsCommand"):
        subprocess.run(["git", "-C", str(root), "config", setting, str(hook)], check=True)
    monkeypatch.chdir(root)
    assert lockguard(["."]) == 1
    assert "requirements.txt:1:1: requirements-pinned `django` is not pinned" in capsys.readouterr().out
    assert not marker.exists()


def test_a_file_named_like_an_option_stays_a_file_name(in_tmp: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (in_tmp / "requirements.txt").write_text("django\n")
    (in_tmp / "--exclude=*requirements.txt").write_text("")
    # pre-commit passes file names after the hook's args, without `--`.
    assert hook_main(BY_ID["requirements-pinned"])(["--exclude=*requirements.txt", "requirements.txt"]) == 1
    assert "requirements.txt:1:1: requirements-pinned `django` is not pinned" in capsys.readouterr().out


# -- output that cannot be forged ------------------------------------------------------------------


def test_a_newline_in_a_file_name_forges_no_line(in_tmp: Path, capsys: pytest.CaptureFixture[str]) -> None:
    name = "x\n::error file=a::forged\nrequirements.txt"
    (in_tmp / name).write_text("django\n")
    for output in ("text", "github"):
        assert lockguard([".", "--format", output]) == 1
        lines = capsys.readouterr().out.splitlines()
        assert len(lines) == 1, lines
        assert not any(line.startswith("::error file=a") for line in lines)


def test_escape_sequences_and_undecodable_names_are_escaped(in_tmp: Path, capsys: pytest.CaptureFixture[str]) -> None:
    os.makedirs(b"dir\x1b[31m\xff")
    (Path(os.fsdecode(b"dir\x1b[31m\xff")) / "requirements.txt").write_text("django\n")
    assert lockguard([".", "--format", "text"]) == 1
    text = capsys.readouterr().out
    assert "\x1b" not in text and "\\x1b" in text
    for output in ("json", "sarif"):
        assert lockguard([".", "--format", output]) == 1
        json.loads(capsys.readouterr().out)  # valid JSON, whatever the file name


def test_a_closed_pipe_ends_quietly(tmp_path: Path) -> None:
    script = f"{sys.executable} -m hooks {ROOT / 'examples'} | head -1"
    result = subprocess.run(["sh", "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.stdout.count("\n") == 1
    assert "Traceback" not in result.stderr and "BrokenPipe" not in result.stderr


def test_an_export_without_a_lock_above_ends_at_the_root(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """An absolute path to a `uv export` file with no uv.lock above it looped forever."""
    (repo / "sub").mkdir()
    (repo / "sub" / "requirements.txt").write_text("# This file was autogenerated by uv via the following command:\n#    uv export\ndjango==5.1.4\n")
    start = time.perf_counter()
    assert hook_main(BY_ID["requirements-lock-sync"])([str(repo / "sub" / "requirements.txt")]) == 0
    assert time.perf_counter() - start < 5
    assert capsys.readouterr().out == ""


def test_a_pip_compile_input_outside_the_repository_is_named_never_read(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    secret = repo.parent / "outside" / "secret.in"
    secret.write_text(f"{SECRET}==1\n")
    header = f"#\n# This file is autogenerated by pip-compile with Python 3.12\n# by the following command:\n#\n#    pip-compile {secret}\n#\n"
    (repo / "requirements.txt").write_text(header + "django==5.1.4\n")
    code = hook_main(BY_ID["requirements-lock-sync"])(["requirements.txt"])
    out = capsys.readouterr().out
    assert SECRET not in out
    assert code == 1 and out == f"{secret}:1:1: requirements-lock-sync error: leads outside the repository (through `..`, an absolute path or a symlink), so lockguard does not read it\n"


def test_a_bug_on_one_file_is_one_failing_line_and_the_others_are_judged(in_tmp: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    import hooks.requirements_pinned as rule

    judge = rule.judge

    def buggy(unit, options):  # type: ignore[no-untyped-def]
        if unit.path == "a/requirements.txt":
            raise KeyError("boom")
        return judge(unit, options)

    monkeypatch.setattr(rule, "judge", buggy)
    monkeypatch.delenv("LOCKGUARD_DEBUG")
    for folder in ("a", "b"):
        (in_tmp / folder).mkdir()
        (in_tmp / folder / "requirements.txt").write_text("django\n")
    assert lockguard(["."]) == 1
    captured = capsys.readouterr()
    assert captured.out.splitlines() == [
        "a/requirements.txt:1:1: requirements-pinned internal error: KeyError: 'boom' (a bug in lockguard: please report it; LOCKGUARD_DEBUG=1 shows the traceback)",
        "b/requirements.txt:1:1: requirements-pinned `django` is not pinned: it has no version, so pip installs whatever release is newest; pin it to the release you tested: `pip freeze` in the app's environment prints the line",
    ]
    assert "Traceback" not in captured.err
    monkeypatch.setenv("LOCKGUARD_DEBUG", "1")
    with pytest.raises(KeyError):
        lockguard(["."])


@pytest.mark.parametrize(
    ("files", "argv", "expected"),
    [
        pytest.param({"requirements.txt": "django==1.0\rflask\r"}, ["requirements.txt"], "requirements.txt:2:1: requirements-pinned `flask` is not pinned", id="requirements"),
        pytest.param({"environment.yml": "dependencies:\r  - numpy=1.26.4\r  - pandas\r"}, ["environment.yml"], "environment.yml:3:1: conda-env-pinned `pandas` names no version", id="yaml"),
    ],
)
def test_a_lone_cr_ends_a_line_as_pip_and_yaml_read_it(in_tmp: Path, capsys: pytest.CaptureFixture[str], files: dict[str, str], argv: list[str], expected: str) -> None:
    for name, text in files.items():
        (in_tmp / name).write_bytes(text.encode())
    rule = "requirements-pinned" if "requirements.txt" in files else "conda-env-pinned"
    assert hook_main(BY_ID[rule])(argv) == 1
    assert capsys.readouterr().out.startswith(expected)
