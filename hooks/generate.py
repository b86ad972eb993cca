"""Regenerate everything derived from the catalogue: `python -m hooks.generate [--check]`.

Writes `.pre-commit-hooks.yaml`, one page per rule in `docs/rules/<id>.md` (what `lockguard
--explain <id>` prints), the README's hook table and pre-commit config and the configuration
page's table of options (between the `<!-- generated: … -->` markers), and pyproject's
`[project.scripts]`; it removes the page of a rule that is no longer in the catalogue. With
`--check` it writes nothing and exits 1 when a committed file differs from what the catalogue
generates.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from collections.abc import Sequence

import tomlkit

from hooks.catalogue import RULES, Rule
from hooks.docs import rule_markdown
from hooks.writing import write_atomic

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CONFIGURATION = "docs/configuration.md"


# The git hooks a check belongs to, as pre-commit advises a linter: a commit, a merge (two
# branches, each in sync alone, can merge into a stale lock), a push, and `pre-commit run
# --hook-stage manual`. Never the stages that pass no files or a commit message: an install
# of `commit-msg` or `post-checkout` hooks must not run lockguard there. Stage names like
# `pre-commit` are pre-commit 3.2.0's (the older `commit` and `push` are deprecated), hence
# the minimum version.
STAGES = ("pre-commit", "pre-merge-commit", "pre-push", "manual")
MINIMUM_PRE_COMMIT_VERSION = "3.2.0"


def hooks_manifest() -> str:
    lines = ["# Generated from hooks/catalogue.py by `python -m hooks.generate`: do not edit by hand."]
    for rule in sorted(RULES, key=lambda r: r.id):
        lines += [
            f"-   id: {rule.id}",
            f"    name: {rule.id}",
            f"    description: {json.dumps(rule.description)}",
            f"    entry: {rule.id}",
            "    language: python",
            f"    files: {json.dumps(rule.files)}",
            f"    stages: [{', '.join(STAGES)}]",
            f"    minimum_pre_commit_version: {json.dumps(MINIMUM_PRE_COMMIT_VERSION)}",
        ]
        if rule.require_serial:
            lines.append("    require_serial: true")
    return "\n".join(lines) + "\n"


RULE_PAGES = "docs/rules"


def rule_page_path(rule: Rule) -> str:
    return f"{RULE_PAGES}/{rule.id}.md"


def rule_page(rule: Rule) -> str:
    """`docs/rules/<id>.md`: what `lockguard --explain <id>` prints, marked as generated."""
    source = f"hooks/{rule.module.rpartition('.')[2]}.py"
    return f"<!-- Generated from {source} and hooks/catalogue.py by `python -m hooks.generate`: do not edit by hand. -->\n" + rule_markdown(rule, level=1)


def hooks_table() -> str:
    rows = ["| hook id | what it checks |", "| --- | --- |"]
    rows += [f"| [`{rule.id}`]({rule_page_path(rule)}) | {rule.description} |" for rule in sorted(RULES, key=lambda r: r.id)]
    return "\n".join(rows)


def options_table() -> str:
    """Every rule's own options, for docs/configuration.md (links relative to docs/)."""
    rows = ["| rule | key (hook arg `--key`) | default | what it does |", "| --- | --- | --- | --- |"]
    for rule in sorted(RULES, key=lambda r: r.id):
        for option in rule.options:
            default = str(option.default).lower() if option.kind is bool else repr(option.default)
            rows.append(f"| [`{rule.id}`](rules/{rule.id}.md) | `{option.name}` | `{default}` | {option.help} |")
        if rule.fixable:
            rows.append(f"| [`{rule.id}`](rules/{rule.id}.md) | none: the hook arg `--fix`, or `lockguard --fix` | off | rewrite the files to fix what can be fixed (atomically) |")
    return "\n".join(rows)


def replace_block(text: str, name: str, content: str, file: str = "README.md") -> str:
    pattern = re.compile(rf"(<!-- generated: {name} -->\n).*?(<!-- end: {name} -->)", re.DOTALL)
    if not pattern.search(text):
        raise SystemExit(f"{file}: the markers `<!-- generated: {name} -->` … `<!-- end: {name} -->` are missing")
    return pattern.sub(lambda m: m[1] + content + "\n" + m[2], text)


def release_tag() -> str:
    """The tag of the version pyproject.toml declares (`v0.1.0`): what a user's `rev:` names."""
    with open(os.path.join(ROOT, "pyproject.toml"), encoding="utf-8") as handle:
        return f"v{tomlkit.parse(handle.read())['project']['version']}"


def pre_commit_config() -> str:
    lines = ["```yaml", "# .pre-commit-config.yaml", "repos:", "-   repo: https://github.com/lockguard/lockguard", f"    rev: {release_tag()}", "    hooks:"]
    lines += [f"    -   id: {rule.id}" for rule in sorted(RULES, key=lambda r: r.id)]
    return "\n".join(lines + ["```"])


def readme(text: str) -> str:
    text = replace_block(text, "pre-commit-config", pre_commit_config())
    return replace_block(text, "hooks-table", hooks_table())


def configuration(text: str) -> str:
    return replace_block(text, "options", options_table(), file=CONFIGURATION)


def pyproject(text: str) -> str:
    document = tomlkit.parse(text)
    scripts = tomlkit.table()
    scripts["lockguard"] = "hooks.cli:main"
    for rule in sorted(RULES, key=lambda r: r.id):
        scripts[rule.id] = f"hooks.entry_points:{rule.id.replace('-', '_')}"
    document["project"]["scripts"] = scripts
    return tomlkit.dumps(document)


def generated_files() -> dict[str, str]:
    def current(name: str) -> str:
        with open(os.path.join(ROOT, name), encoding="utf-8") as handle:
            return handle.read()

    return {
        ".pre-commit-hooks.yaml": hooks_manifest(),
        "README.md": readme(current("README.md")),
        CONFIGURATION: configuration(current(CONFIGURATION)),
        "pyproject.toml": pyproject(current("pyproject.toml")),
        **{rule_page_path(rule): rule_page(rule) for rule in sorted(RULES, key=lambda r: r.id)},
    }


def obsolete_files() -> list[str]:
    """Rule pages whose rule is no longer in the catalogue."""
    pages = {rule_page_path(rule) for rule in RULES}
    folder = os.path.join(ROOT, RULE_PAGES)
    names = sorted(os.listdir(folder)) if os.path.isdir(folder) else []
    return [f"{RULE_PAGES}/{name}" for name in names if name.endswith(".md") and f"{RULE_PAGES}/{name}" not in pages]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m hooks.generate", description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="write nothing; exit 1 when a file is out of date")
    args = parser.parse_args(argv)
    stale = []
    for name, content in generated_files().items():
        path = os.path.join(ROOT, name)
        existing = open(path, encoding="utf-8").read() if os.path.exists(path) else None
        if existing == content:
            continue
        stale.append(name)
        if not args.check:
            os.makedirs(os.path.dirname(path), exist_ok=True)
            write_atomic(path, content)
    for name in obsolete_files():
        stale.append(f"{name} (to remove)")
        if not args.check:
            os.unlink(os.path.join(ROOT, name))
    if args.check and stale:
        print(f"out of date with hooks/catalogue.py: {', '.join(stale)}; run `python -m hooks.generate`", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
