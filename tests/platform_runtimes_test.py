"""platform-python-version on a retired runtime: `type: python:X.Y` and a stack's `python@X.Y`
the platform no longer offers are a finding listing the ones it does; the table of runtimes is
data with its date, and a test here fails when that date is a year old."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest

from hooks.catalogue import BY_ID
from hooks.models import platform_runtimes
from tests.conftest import hook_main, tree_digest

RULE = "platform-python-version"
OFFERS = "it offers 3.14, 3.13 (and deprecated 3.12, 3.11, 3.10)"


def test_the_runtime_table_was_read_less_than_a_year_ago() -> None:
    age = datetime.date.today() - platform_runtimes.READ_ON
    assert age.days <= 365, (
        f"hooks/models/platform_runtimes.py was read on {platform_runtimes.READ_ON}, {age.days} days ago: re-check {platform_runtimes.SOURCE}, "
        "update SUPPORTED, DEPRECATED and RETIRED, and set READ_ON to today"
    )


@pytest.mark.parametrize(
    ("version", "retired"),
    [("2.7", True), ("3.5", True), ("3.8", True), ("3.9", True), ("3.4", True), ("3.10", False), ("3.12", False), ("3.14", False), ("3.15", False), ("4.0", False), ("x.y", False)],
)
def test_which_versions_are_retired(version: str, retired: bool) -> None:
    assert platform_runtimes.is_retired(version) is retired


CASES = [
    pytest.param(
        ".platform.app.yaml",
        "name: app\ntype: 'python:3.8'\n",
        f".platform.app.yaml:2:1: platform-python-version app `app`: `type: python:3.8` is a Python the platform has retired; {OFFERS}:"
        " set `type: 'python:3.14'` and make the manifests declare that Python",
        id="type",
    ),
    pytest.param(
        ".platform.app.yaml",
        "name: app\ntype: python:2.7\n",
        f".platform.app.yaml:2:1: platform-python-version app `app`: `type: python:2.7` is a Python the platform has retired; {OFFERS}:"
        " set `type: 'python:3.14'` and make the manifests declare that Python",
        id="python-2",
    ),
    pytest.param(
        ".upsun/config.yaml",
        "applications:\n  app:\n    stack: ['python@3.8', 'python38Packages.pip']\n",
        f".upsun/config.yaml:3:1: platform-python-version app `app`: `python@3.8` in the stack is a Python the platform has retired; {OFFERS}:"
        " set `python@3.14` in the stack and make the manifests declare that Python",
        id="stack-list",
    ),
    pytest.param(
        ".platform/applications.yaml",
        "- name: app\n  source: {root: '/'}\n  stack: 'python@3.9'\n",
        f".platform/applications.yaml:3:1: platform-python-version app `app`: `python@3.9` in the stack is a Python the platform has retired; {OFFERS}:"
        " set `python@3.14` in the stack and make the manifests declare that Python",
        id="stack-string",
    ),
]


@pytest.mark.parametrize(("config", "text", "expected"), CASES)
def test_a_retired_runtime_lists_the_supported_ones(in_tmp: Path, capsys: pytest.CaptureFixture[str], config: str, text: str, expected: str) -> None:
    (in_tmp / config).parent.mkdir(parents=True, exist_ok=True)
    (in_tmp / config).write_text(text)
    before = tree_digest(in_tmp)
    assert hook_main(BY_ID[RULE])([config]) == 1
    assert capsys.readouterr().out.splitlines() == [expected]
    assert tree_digest(in_tmp) == before


@pytest.mark.parametrize(
    "text",
    [
        "name: app\ntype: 'python:3.14'\n",
        "name: app\ntype: 'python:3.10'\n",  # deprecated, still offered
        "name: app\ntype: 'python:3.15'\n",  # newer than the table: the table may be old
        "name: app\nstack: ['python@3.10']\n",
        "name: app\ntype: 'nodejs:14'\n",
    ],
)
def test_an_offered_or_unknown_runtime_is_not_a_finding(in_tmp: Path, capsys: pytest.CaptureFixture[str], text: str) -> None:
    (in_tmp / ".platform.app.yaml").write_text(text)
    assert hook_main(BY_ID[RULE])([".platform.app.yaml"]) == 0
    assert capsys.readouterr().out == ""
