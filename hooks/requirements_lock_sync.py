"""A requirements file exported from a lock lists exactly the lock's versions, and every
package the lock installs: checked without running the exporter.

Teams that deploy with pip export their lock (`poetry export`, `uv export`, `pipenv
requirements`, `pip-compile`) and commit the result; the exporters' own hooks rewrite files or
need the tool and the network. This hook reads both files and says where they disagree.

## What it checks
- A requirements file is tied to its lock by its header (`uv export` and `pip-compile` record
  their command) or by the project layout (beside exactly one `poetry.lock`, `uv.lock` or
  `Pipfile.lock`). A file that cannot be tied is left alone.
- Each package the file pins with `==` has that version in the lock.
- Every package the lock installs for the exported groups is in the file: the dependencies
  `uv export` reaches with the recorded options, Poetry's `main` group (lock-version 2.1),
  Pipfile.lock's `default`. Where the groups cannot be known for sure, only versions are
  compared.
- A `pip-compile` output pins every requirement of its input (`requirements.in`) to a version
  the input allows.
- Watched files: requirements files (as `requirements-pinned`), the locks, and `*.in` files.

## Why it matters
The server installs the exported file, not the lock: when the two drift apart, production runs
other versions than the ones locked and tested.

## Failing example
```text
# requirements.txt beside a poetry.lock that pins django 5.1.4
django==5.1.3
```

## Passing example
```text
django==5.1.4
```

## How to fix
Re-run the export command the finding names (`poetry export -f requirements.txt --output
requirements.txt`, the `uv export` command in the file's header, `pipenv requirements >
requirements.txt`, `pip-compile`), and commit the result.
"""
from __future__ import annotations

import os
import re
from collections.abc import Iterator, Sequence
from types import SimpleNamespace

from hooks import runner
from hooks.catalogue import REQUIREMENTS_FILES, rule_of_module
from hooks.findings import Finding, judged
from hooks.models import exports, pinning, requirements
from hooks.models.names import canonical
from hooks.projects import join, project_of

RULE = rule_of_module(__file__)


def judge_file(path: str) -> Iterator[Finding]:
    export = exports.tie(path)
    if export is None:
        return
    parsed = requirements.parse(path)
    pins = {canonical(r.name): (r, pinning.exact_version(r.specifier)) for r in parsed.requirements if r.name}
    rerun = f"re-run `{export.command}`"
    if export.tool == "pip-compile":
        yield from _judge_pip_compile(export, pins, rerun)
        return
    assert export.lock is not None
    locked = exports.all_versions(export.lock)
    for name, (requirement, version) in pins.items():
        if name in locked and version is not None and version not in locked[name]:
            found = ", ".join(sorted(locked[name]))
            yield Finding(path, requirement.line, 1, RULE.id, f"pins {requirement.name}=={version}, but {export.lock} has {requirement.name} {found}: {rerun}")
        elif name not in locked and export.arguments:
            yield Finding(path, requirement.line, 1, RULE.id, f"pins {requirement.name}, which {export.lock} does not lock: {rerun}")
    expected = exports.installed_names(export)
    if expected is not None:
        for name in sorted(expected - set(pins)):
            versions = ", ".join(sorted(locked.get(name, ())))
            yield Finding(path, 1, 1, RULE.id, f"misses {name} {versions}, which {export.lock} installs: {rerun}")


def _judge_pip_compile(export: exports.Export, pins: dict, rerun: str) -> Iterator[Finding]:
    from packaging.specifiers import InvalidSpecifier, SpecifierSet

    source = export.source
    if source is None or not source.endswith(".in") or not os.path.isfile(source):
        return  # an input this check does not read (pyproject.toml, setup.py) or that is gone
    for requirement in requirements.parse(source).requirements:
        if not requirement.name:
            continue
        name = canonical(requirement.name)
        if name not in pins:
            yield Finding(export.path, 1, 1, RULE.id, f"misses {requirement.name}, which {source} asks for: {rerun}")
            continue
        pinned_requirement, version = pins[name]
        try:
            allowed = version is None or SpecifierSet(requirement.specifier).contains(version, prereleases=True)
        except InvalidSpecifier:
            allowed = True
        if not allowed:
            yield Finding(export.path, pinned_requirement.line, 1, RULE.id, f"pins {requirement.name}=={version}, which {source} no longer allows (`{requirement.specifier}`): {rerun}")


REQUIREMENTS_FILE = re.compile(REQUIREMENTS_FILES)


def _requirements_files_of(directory: str) -> list[str]:
    found = []
    for folder in (directory, join(directory, "requirements")):
        try:
            names = sorted(os.listdir(folder))
        except OSError:
            continue
        found += [join(folder, n) for n in names if REQUIREMENTS_FILE.search(join(folder, n).replace(os.sep, "/")) and os.path.isfile(join(folder, n))]
    return found


def check(paths: Sequence[str], options: SimpleNamespace) -> Iterator[Finding]:
    # A changed lock or .in file re-judges the requirements files of its project.
    targets: dict[str, None] = {}
    for path in paths:
        if REQUIREMENTS_FILE.search(path.replace(os.sep, "/")):
            targets[os.path.normpath(path)] = None
        else:
            for candidate in _requirements_files_of(project_of(path) if not path.endswith(".in") else os.path.dirname(path) or os.curdir):
                targets[os.path.normpath(candidate)] = None
    for target in targets:
        yield from judged(RULE.id, lambda: judge_file(target))


def main(argv: Sequence[str] | None = None) -> int:
    return runner.run_rule(__file__, argv)


if __name__ == "__main__":
    raise SystemExit(main())
