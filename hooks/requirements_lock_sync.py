"""A requirements file exported from a lock lists exactly the lock's versions, and every
package the lock installs: checked without running the exporter.

Teams that deploy with pip export their lock (`poetry export`, `uv export`, `pipenv
requirements`, `pdm export`, `pip-compile`) and commit the result; the exporters' own hooks rewrite files or
need the tool and the network. This hook reads both files and says where they disagree.

## What it checks
- A requirements file is tied to its lock by its header (`uv export` and `pip-compile` record
  their command, `pdm export` names PDM) or by the project layout (beside exactly one
  `poetry.lock`, `uv.lock`, `Pipfile.lock` or `pdm.lock`). A file that cannot be tied is left
  alone, and so is a `requirements.txt` tied by layout alone that no build installs, beside the
  lock a Platform.sh/Upsun app builds from: `platform-one-manager` reports it once
  (`stray-requirements`), rather than one line per package here.
- Each package the file pins with `==` has that version in the lock.
- Every package the lock installs for the exported groups is in the file: the dependencies
  `uv export` reaches with the recorded options, Poetry's `main` group (lock-version 2.1),
  Pipfile.lock's `default`, pdm.lock's `default` group. Where the groups cannot be known for sure, only versions are
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
requirements.txt`, `pdm export -o requirements.txt`, `pip-compile`), and commit the result.
"""

from __future__ import annotations

from collections.abc import Iterator
from types import SimpleNamespace

from hooks.catalogue import rule_of_module
from hooks.findings import Finding, Fix, Location, finding
from hooks.models import app_managers, exports, lock_versions, pinning, requirements
from hooks.models.names import canonical
from hooks.units import FileUnit

RULE = rule_of_module(__file__)


def judge(unit: FileUnit, options: SimpleNamespace) -> Iterator[Finding]:
    path = unit.path
    export = exports.tie(path)
    if export is None or (export.by_layout and app_managers.stray_app(path, options.root)):
        # Tied by layout only, and no build installs it: platform-one-manager's one line says so.
        return
    parsed = requirements.parse(path)
    pins = {canonical(r.name): (r, pinning.exact_version(r.specifier)) for r in parsed.requirements if r.name}
    rerun = Fix(f"re-run `{export.command}`", export.command)
    if export.tool == "pip-compile":
        yield from _judge_pip_compile(export, pins, rerun)
        return
    assert export.lock is not None
    locked = lock_versions.all_versions(export.lock)
    lock = (Location(export.lock, 1, "the lock"),)
    for name, (requirement, version) in pins.items():
        if name in locked and version is not None and version not in locked[name]:
            found = ", ".join(sorted(locked[name]))
            yield finding(path, requirement.line, RULE.id, "version-mismatch", f"pins {requirement.name}=={version}, but {export.lock} has {requirement.name} {found}", rerun, related=lock)
        elif name not in locked and export.arguments:
            yield finding(path, requirement.line, RULE.id, "not-in-lock", f"pins {requirement.name}, which {export.lock} does not lock", rerun, related=lock)
    expected = exports.installed_names(export)
    if expected is not None:
        for name in sorted(expected - set(pins)):
            versions = ", ".join(sorted(locked.get(name, ())))
            yield finding(path, 1, RULE.id, "missing-package", f"misses {name} {versions}, which {export.lock} installs", rerun, related=lock)


def _judge_pip_compile(export: exports.Export, pins: dict, rerun: Fix) -> Iterator[Finding]:
    from packaging.specifiers import SpecifierSet

    source = exports.input_file(export)
    if source is None:
        return
    for requirement in requirements.parse(source).requirements:
        if not requirement.name:
            continue
        name = canonical(requirement.name)
        related = (Location(source, requirement.line, "the input"),)
        if name not in pins:
            yield finding(export.path, 1, RULE.id, "input-not-satisfied", f"misses {requirement.name}, which {source} asks for", rerun, related=related)
            continue
        pinned_requirement, version = pins[name]
        try:
            allowed = version is None or SpecifierSet(requirement.specifier).contains(version, prereleases=True)
        except ValueError:  # InvalidSpecifier, or a version packaging cannot hold (5,000 digits)
            allowed = True
        if not allowed:
            yield finding(
                export.path, pinned_requirement.line, RULE.id, "input-not-satisfied",
                f"pins {requirement.name}=={version}, which {source} no longer allows (`{requirement.specifier}`)", rerun, related=related,
            )  # fmt: skip
