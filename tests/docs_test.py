"""docs/how-lockguard-decides.md is held to what is tested: its links resolve, and every tool
version it names is the one pyproject.toml's `test` extra installs for the differential tests.

A version is named as `<tool> X.Y[.Z]` (`Poetry 2.5.1`); the page writes the boundaries of older
behaviours another way ("the 2.3 release"), as no test runs those.
"""

from __future__ import annotations

import os
import re
import sys

import pytest

if sys.version_info >= (3, 11):
    import tomllib
else:
    import tomli as tomllib

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PAGE = os.path.join(ROOT, "docs", "how-lockguard-decides.md")
# The tools whose verdicts the page cites, by the distribution name the test extra pins.
TOOLS = {"pipenv": "pipenv", "poetry": "poetry", "uv": "uv", "pdm": "pdm", "poetry-plugin-export": "poetry-plugin-export"}
NAMED = re.compile(r"(?<![\w.-])(pipenv|poetry-plugin-export|poetry|uv|pdm)\s+v?(\d+(?:\.\d+)+)\b", re.IGNORECASE)


def page() -> str:
    with open(PAGE, encoding="utf-8") as handle:
        return handle.read()


def pinned_versions() -> dict[str, str]:
    """The `name==version` pins of the test extra, by lower-case name."""
    with open(os.path.join(ROOT, "pyproject.toml"), "rb") as handle:
        extra = tomllib.load(handle)["project"]["optional-dependencies"]["test"]
    pins = {}
    for requirement in extra:
        found = re.match(r"^([A-Za-z0-9_.-]+)(?:\[[^\]]*\])?==([^;\s]+)", requirement)
        if found:
            pins[found.group(1).lower()] = found.group(2)
    return pins


@pytest.mark.parametrize(
    ("text", "named"),
    [
        pytest.param("Poetry 2.5.1's `poetry check --lock`", [("poetry", "2.5.1")], id="version"),
        pytest.param("poetry-plugin-export 1.10.1 (`poetry export`)", [("poetry-plugin-export", "1.10.1")], id="plugin-not-poetry"),
        pytest.param("uv.lock carries no digest; `uv lock --check`", [], id="file-and-command"),
        pytest.param("a writer older than the 2.3 release", [], id="era-boundary"),
        pytest.param("Poetry 1.x hashed", [], id="major-only"),
    ],
)
def test_a_named_version_is_recognised(text: str, named: list[tuple[str, str]]) -> None:
    assert [(tool.lower(), version) for tool, version in NAMED.findall(text)] == named


def _older_releases() -> dict[str, set[str]]:
    """The releases the slow version tests install beside the test extra's."""
    from tests import pipfile_lock_versions_test, poetry_lock_versions_test, uv_lock_versions_test

    return {"pipenv": set(pipfile_lock_versions_test.RELEASES), "poetry": set(poetry_lock_versions_test.RELEASES), "uv": set(uv_lock_versions_test.RELEASES)}


def test_every_named_tool_version_is_a_tested_one() -> None:
    pins = pinned_versions()
    older = _older_releases()
    named = {(tool.lower(), version) for tool, version in NAMED.findall(page())}
    assert named, "the page names the tool versions its verdicts were checked against"
    for tool, version in sorted(named):
        tested = {pins.get(TOOLS[tool])} | older.get(TOOLS[tool], set())
        assert version in tested, f"the page names {tool} {version}; the tests run {sorted(v for v in tested if v)}"


def test_every_tested_tool_is_named() -> None:
    named = {tool.lower() for tool, _ in NAMED.findall(page())}
    assert set(TOOLS) <= named


def test_every_relative_link_resolves() -> None:
    text = page()
    links = re.findall(r"\]\(([^)\s]+)\)", text)
    assert links
    anchors = {re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-") for heading in re.findall(r"^#+ (.+)$", text, re.MULTILINE)}
    for link in links:
        if re.match(r"^[a-z]+:", link):
            continue
        path, _, anchor = link.partition("#")
        if path:
            target = os.path.normpath(os.path.join(os.path.dirname(PAGE), path))
            assert os.path.exists(target), link
            assert os.path.commonpath([target, ROOT]) == ROOT, f"{link} leaves the repository"
        else:
            assert anchor in anchors, link
