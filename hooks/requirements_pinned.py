"""Every requirement in a pip requirements or constraints file names exactly one release.

Platform.sh's Python guide: commit a `requirements.txt` pinned with `pip freeze`, so that the
server installs the releases you tested.

## What it checks
- A named requirement is pinned by `==1.2.3` or `===1.2.3` (extras and environment markers
  allowed). `==1.*`, `>=`, `~=`, `!=`, `<`, ranges and bare names allow more than one release.
- A direct reference must be immutable: a VCS URL at a full commit id
  (`git+https://host/repo.git@<40 hex>`), an archive URL with a hash (`#sha256=…` or
  `--hash`). A local path (`./pkg`, `-e .`: the app's own code) is allowed unless
  `--no-local-paths`.
- `-r` and `-c` includes are followed, relative to the including file; each finding is reported
  in the file and line that holds the requirement. A missing included file, an include cycle
  and a remote include are findings.
- Hashes are all-or-nothing, as pip enforces: once one requirement in a file has `--hash`, every
  requirement in it must (`--require-hashes` makes hashes mandatory everywhere).
- A line pip cannot parse is a finding, with pip's reason.
- A `requirements.txt` that no build installs, beside the lock a Platform.sh/Upsun app builds
  from, is not judged: `platform-one-manager` reports it once (`stray-requirements`), rather
  than one line per package here.
- Watched files: `*requirements*.txt` and `*constraints*.txt` at any depth, and every `.txt`
  below a `requirements/` folder. `.in` files (pip-compile inputs) are meant to be loose and
  are not watched.

## Why it matters
An unpinned requirement installs whatever release is newest on the day of the build: the
server runs code nobody tested, and a rebuild of the same commit can break.

## Failing example
```text
django>=4
requests
git+https://github.com/psf/black.git@main#egg=black
```

## Passing example
```text
django==5.1.4
requests[socks]==2.32.3 ; python_version >= "3.9"
git+https://github.com/psf/black.git@8a737e727ac5ab2f1d4cf5876720ed276dc8dc4b#egg=black
-e .
```

## How to fix
Pin each requirement to the release you tested. The finding proposes the exact pin when a lock
in the same project (`poetry.lock`, `Pipfile.lock`, `uv.lock`) or another fully pinned
requirements file names the version; otherwise run `pip freeze` in the app's environment and
copy its line. A line that must stay loose can end with `# lockguard: allow-unpinned`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from types import SimpleNamespace

from hooks import units
from hooks.catalogue import rule_of_module
from hooks.findings import Finding, Fix, InputError, finding
from hooks.models import app_managers, lock_versions, pinning, requirements
from hooks.models.names import canonical as canonicalize_name
from hooks.models.requirements import Requirement, RequirementsFile

RULE = rule_of_module(__file__)
PIP_FREEZE = Fix("pin it to the release you tested: `pip freeze` in the app's environment prints the line", "pip freeze")


class _Proposals:
    """The exact version to propose for a package, from what else the project pins."""

    def __init__(self) -> None:
        self._by_project: dict[str, dict[str, tuple[str, str]]] = {}

    def for_package(self, path: str, name: str) -> tuple[str, str] | None:
        project = units.project_of(path)
        if project not in self._by_project:
            self._by_project[project] = {**self._pinned_requirements(project), **lock_versions.project_locks(project)}
        return self._by_project[project].get(canonicalize_name(name))

    @staticmethod
    def _pinned_requirements(project: str) -> dict[str, tuple[str, str]]:
        found: dict[str, tuple[str, str]] = {}
        for path in units.requirements_files_of(project):
            try:
                parsed = requirements.parse(path)
            except InputError:
                continue
            versions = {r.name: pinning.exact_version(r.specifier) for r in parsed.requirements if r.name and not r.url}
            if versions and all(versions.values()):
                for package, version in versions.items():
                    found.setdefault(canonicalize_name(package), (str(version), path))
        return found


def _fix(requirement: Requirement, proposals: _Proposals, path: str) -> Fix:
    if requirement.name:
        proposal = proposals.for_package(path, requirement.name)
        if proposal:
            version, source = proposal
            return Fix(f"pin it: `{requirement.name}=={version}` (the version in {source})")
    return PIP_FREEZE


class _Judge:
    """One file and its includes; `done` keeps a file included twice from being judged twice."""

    def __init__(self, options: SimpleNamespace) -> None:
        self.options = options
        self.proposals = _Proposals()
        self.done: set[str] = set()

    def file(self, path: str, chain: tuple[str, ...] = ()) -> Iterator[Finding]:
        key = units.same_file_key(path)
        if key in self.done:
            return
        self.done.add(key)
        parsed = requirements.parse(path)
        yield from self._requirements(parsed)
        for invalid in parsed.invalid:
            yield finding(path, invalid.line, RULE.id, "unparsable-line", f"pip cannot parse this line: {invalid.reason}")
        for include in parsed.includes:
            yield from self._include(path, include, (*chain, key))

    def _requirements(self, parsed: RequirementsFile) -> Iterator[Finding]:
        require_hashes = parsed.require_hashes or self.options.require_hashes or any(r.hashes for r in parsed.requirements)
        for requirement in parsed.requirements:
            if requirement.allowed:
                continue
            for kind, problem in pinning.requirement_problems(requirement, require_hashes, self.options.no_local_paths):
                fix = _fix(requirement, self.proposals, parsed.path) if kind == "unpinned" else None
                yield finding(parsed.path, requirement.line, RULE.id, kind, problem, fix, joiner="; ")

    def _include(self, path: str, include: requirements.Include, chain: tuple[str, ...]) -> Iterator[Finding]:
        where = f"`{include.kind} {include.target}`"
        if re.match(r"^[a-z][a-z0-9+.-]*://", include.target, re.IGNORECASE):
            yield finding(path, include.line, RULE.id, "remote-include", f"{where} includes a remote file, which can change and cannot be checked offline", Fix("commit a copy and include that"))
            return
        target = units.include_target(path, include.target)
        if units.same_file_key(target) in chain:
            yield finding(path, include.line, RULE.id, "include-cycle", f"{where} makes an include cycle (pip recurses until it fails)", Fix("remove one of the includes"))
            return
        try:
            yield from self.file(target, chain)
        except InputError as error:
            # The reference is named, never the target's content.
            yield finding(path, include.line, RULE.id, "bad-include", f"{where}: the included file {error.message}")


def judge(unit: units.FileUnit, options: SimpleNamespace) -> Iterator[Finding]:
    if app_managers.stray_app(unit.path, options.root):
        return iter(())  # no build installs it: platform-one-manager's one line says so
    # A file also included by another unit is judged there too: the runner keeps one of each finding.
    return _Judge(options).file(unit.path)
