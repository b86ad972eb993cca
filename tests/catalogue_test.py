"""The catalogue is the single source of truth: everything derived from it must agree with it."""

from __future__ import annotations

import importlib
import os
import re
import subprocess
import sys

import pytest

from hooks import generate
from hooks.catalogue import BY_ID, PLATFORM_FILES, RULES

# Paths each rule's `files` pattern must and must not match (relative to the repository root).
FILE_PATTERNS: dict[str, tuple[list[str], list[str]]] = {
    "requirements-pinned": (
        [
            "requirements.txt",
            "sub/dir/requirements-dev.txt",
            "requirements_dev.txt",
            "dev-requirements.txt",
            "constraints.txt",
            "requirements/base.txt",
            "app/requirements/prod/web.txt",
            "crateio_requirements.txt",
        ],
        [
            "requirements.txt.orig",
            "requirements.in",
            "requirements/base.in",
            "notes.txt",
            "requirementstxt",
            "src/requirements.py",
            "docs/requirements.md",
        ],
    ),
    "pipfile-lock": (
        ["Pipfile", "Pipfile.lock", "services/api/Pipfile", "a/b/c/Pipfile.lock"],
        ["Pipfile.bak", "MyPipfile", "Pipfile.lock.orig", "pipfile", "docs/Pipfile.md", "Pipfile/README"],
    ),
    "poetry-lock": (
        ["pyproject.toml", "poetry.lock", "services/api/pyproject.toml", "a/b/poetry.lock"],
        ["pyproject.toml.bak", "mypyproject.toml", "poetry.lock.orig", "poetry.toml", "docs/pyproject.toml.md"],
    ),
    "pdm-lock": (
        ["pyproject.toml", "pdm.lock", "services/api/pyproject.toml", "a/b/pdm.lock"],
        ["pdm.lock.bak", "mypdm.lock", "pdm.toml", ".pdm-python", "pylock.toml", "pyproject.toml.orig"],
    ),
    "uv-lock": (
        ["pyproject.toml", "uv.lock", "packages/api/pyproject.toml", "a/b/uv.lock"],
        ["uv.lock.bak", "myuv.lock", "uv.toml", "pyproject.toml.orig"],
    ),
    "lock-tool-version": (
        ["poetry.lock", "a/b/uv.lock", "pyproject.toml", ".platform.app.yaml", "backend/.platform.app.yml"],
        ["Pipfile.lock", "poetry.lock.bak", "uv.toml", ".platform/applications.yaml", "my.platform.app.yaml"],
    ),
    "conda-env-pinned": (
        ["environment.yml", "environment.yaml", "ml/environment.yml"],
        ["environment.yml.bak", "my-environment.yml", "environment.json", "environments/base.txt"],
    ),
    "requirements-lock-sync": (
        ["requirements.txt", "sub/requirements-dev.txt", "requirements/base.txt", "poetry.lock", "a/uv.lock", "Pipfile.lock", "a/pdm.lock", "requirements.in", "requirements/dev.in"],
        ["requirements.txt.orig", "Pipfile", "pyproject.toml", "poetry.lock.bak", "notes.txt", "setup.in.bak"],
    ),
    "pylock": (
        ["pylock.toml", "a/b/pylock.toml", "pylock.dev.toml", "pylock.a.b.toml"],
        ["pylock.toml.bak", "mypylock.toml", "pylock.lock", "pylock-dev.toml", "uv.lock", "pyproject.toml"],
    ),
}
PLATFORM_PATTERNS = (
    [
        ".platform.app.yaml",
        "backend/.platform.app.yaml",
        ".platform/applications.yaml",
        ".upsun/config.yaml",
        ".upsun/apps.yml",
        ".environment",
        "backend/.environment",
        "requirements.txt",
        "app/requirements_remote.txt",
        "Pipfile",
        "Pipfile.lock",
        "pyproject.toml",
        "poetry.lock",
        "uv.lock",
        "pdm.lock",
        "app/pylock.toml",
        "pylock.dev.toml",
        "environment.yml",
        ".python-version",
        "runtime.txt",
    ],
    [
        ".platform/routes.yaml.bak",
        ".platform.app.yaml.orig",
        ".upsun/sub/config.yaml.txt",
        "environment",
        "my.environment.sh",
        "README.md",
        "setup.py",
        ".platform/pip.app.yml.bak",
        "docs/runtime.txt.md",
        "pdm.lock.bak",
        "mypylock.toml",
        "pdm.toml",
    ],
)
FILE_PATTERNS.update({rule.id: PLATFORM_PATTERNS for rule in RULES if rule.files == PLATFORM_FILES})


def test_generated_files_are_up_to_date() -> None:
    assert generate.main(["--check"]) == 0, "run `python -m hooks.generate`"


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.id)
def test_every_rule_has_pattern_tables(rule) -> None:
    assert rule.id in FILE_PATTERNS, f"add must/must-not match paths for {rule.id}"


@pytest.mark.parametrize(
    ("rule_id", "path", "expected"),
    [(rule_id, path, True) for rule_id, (yes, _) in FILE_PATTERNS.items() for path in yes] + [(rule_id, path, False) for rule_id, (_, no) in FILE_PATTERNS.items() for path in no],
)
def test_file_patterns(rule_id: str, path: str, expected: bool) -> None:
    assert bool(re.search(BY_ID[rule_id].files, path)) is expected


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.id)
def test_every_rule_module_has_the_shape(rule) -> None:
    module = importlib.import_module(rule.module)
    assert callable(module.judge) and not hasattr(module, "main") and not hasattr(module, "check")
    doc = module.__doc__ or ""
    sections = [line for line in doc.splitlines() if line.startswith("## ")]
    assert sections == ["## What it checks", "## Why it matters", "## Failing example", "## Passing example", "## How to fix"]


def test_ids_are_kebab_case_and_sorted_in_the_manifest() -> None:
    assert all(re.fullmatch(r"[a-z]+(-[a-z]+)*", rule.id) for rule in RULES)
    manifest = generate.hooks_manifest()
    ids = re.findall(r"^-   id: (\S+)$", manifest, re.MULTILINE)
    assert ids == sorted(BY_ID)


def test_every_hook_has_its_page_and_a_line_in_the_readme() -> None:
    readme = open(generate.ROOT + "/README.md", encoding="utf-8").read()
    pages = sorted(os.listdir(os.path.join(generate.ROOT, "docs", "rules")))
    assert pages == sorted(f"{rule.id}.md" for rule in RULES)
    for rule in RULES:
        page = open(os.path.join(generate.ROOT, "docs", "rules", f"{rule.id}.md"), encoding="utf-8").read()
        assert page.startswith("<!-- Generated from ") and f"\n# `{rule.id}`\n" in page
        for heading in ("## What it checks", "## Why it matters", "## Failing example", "## Passing example", "## How to fix", "## Finding kinds", "## Options"):
            assert f"\n{heading}\n" in page, (rule.id, heading)
        assert f"| [`{rule.id}`](docs/rules/{rule.id}.md) | {rule.description} |" in readme


def test_every_option_is_in_the_configuration_page() -> None:
    page = open(os.path.join(generate.ROOT, "docs", "configuration.md"), encoding="utf-8").read()
    for rule in RULES:
        for option in rule.options:
            assert f"| [`{rule.id}`](rules/{rule.id}.md) | `{option.name}` |" in page


def test_the_readme_links_to_files_that_exist() -> None:
    """Every relative link of the README and of docs/ (the pages a newcomer follows)."""
    documents = ["README.md", *(os.path.join("docs", name) for name in os.listdir(os.path.join(generate.ROOT, "docs")) if name.endswith(".md"))]
    for document in documents:
        text = open(os.path.join(generate.ROOT, document), encoding="utf-8").read()
        for target in re.findall(r"\]\(([^)#:]+)(?:#[^)]*)?\)", text):
            assert os.path.exists(os.path.join(generate.ROOT, os.path.dirname(document), target)), (document, target)


def test_generate_removes_the_page_of_a_rule_that_is_gone(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "docs" / "rules").mkdir(parents=True)
    (tmp_path / "docs" / "rules" / "retired-rule.md").write_text("# `retired-rule`\n")
    monkeypatch.setattr(generate, "ROOT", str(tmp_path))
    assert generate.obsolete_files() == ["docs/rules/retired-rule.md"]


def test_pre_commit_accepts_the_manifest() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "pre_commit", "validate-manifest", ".pre-commit-hooks.yaml"],
        cwd=generate.ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_hook_runs_at_the_stages_of_a_check() -> None:
    import yaml  # pre-commit's own dependency, as pre-commit reads the manifest

    manifest = yaml.safe_load(open(generate.ROOT + "/.pre-commit-hooks.yaml", encoding="utf-8"))
    assert [hook["id"] for hook in manifest] == sorted(BY_ID)
    for hook in manifest:
        assert hook["stages"] == ["pre-commit", "pre-merge-commit", "pre-push", "manual"], hook["id"]
        assert hook["minimum_pre_commit_version"] == "3.2.0", hook["id"]


def test_every_rev_in_the_docs_is_this_release() -> None:
    """`rev:` and `@v…` in the README and docs/ name the tag of pyproject's version."""
    tag = generate.release_tag()
    documents = ["README.md", *(os.path.join("docs", name) for name in os.listdir(os.path.join(generate.ROOT, "docs")) if name.endswith(".md"))]
    seen = []
    for document in documents:
        text = open(os.path.join(generate.ROOT, document), encoding="utf-8").read()
        seen += [(document, found) for found in re.findall(r"rev: (\S+)|lockguard@(v[^\s\"]+)", text)]
    assert len(seen) >= 3
    assert all(tag in found for _, found in seen), seen
