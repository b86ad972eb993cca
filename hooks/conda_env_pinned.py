"""Every dependency of a conda `environment.yml` names one version.

Platform.sh's Python guide points Anaconda and Miniconda users to an `environment.yml`; it is
repeatable only when each package is pinned, as `conda env export` writes them.

## What it checks
- Each conda dependency names one version: `numpy=1.26.4`, `numpy==1.26.4`, with or without a
  build string (`numpy=1.26.4=py311h64a7726_0`) and a channel (`conda-forge::numpy=1.26.4`). A
  bare name, a range (`>=1.26`), or a wildcard (`1.26.*`) is a finding.
- The `pip:` list follows the `requirements-pinned` judgement: `name==1.2.3`, a VCS URL at a
  full commit, an archive with a hash; local paths are allowed (`-r` files are judged by
  `requirements-pinned` itself).
- `conda list --explicit` files (`@EXPLICIT`) and conda-lock files pin everything by
  construction and pass.
- Watched files: `environment.yml` and `environment.yaml` at any depth.

## Why it matters
An unpinned package takes whatever release the channel has on the day the environment is
built: the server runs other code than the one tested.

## Failing example
```yaml
name: app
channels: [conda-forge]
dependencies:
  - python=3.12
  - numpy>=1.26
  - pandas
  - pip:
      - requests
```

## Passing example
```yaml
name: app
channels: [conda-forge]
dependencies:
  - python=3.12.7
  - numpy=1.26.4
  - conda-forge::pandas==2.2.3
  - pip:
      - requests==2.32.3
```

## How to fix
Pin each package to the version you tested: `conda env export --no-builds` prints them
(`conda env export` adds the build strings). For `pip:` entries, `pip freeze` in the
environment prints the lines.
"""

from __future__ import annotations

from collections.abc import Iterator
from types import SimpleNamespace

from hooks.catalogue import rule_of_module
from hooks.findings import Finding, Fix, finding
from hooks.models import conda, pinning, requirements
from hooks.units import FileUnit

RULE = rule_of_module(__file__)
PIP_FREEZE = Fix("`pip freeze` in the environment prints the pinned line", "pip freeze")


def judge(unit: FileUnit, options: SimpleNamespace) -> Iterator[Finding]:
    path = unit.path
    environment = conda.read(path)
    if environment.locked:
        return
    for spec in environment.specs:
        if spec.exact:
            continue
        problem = "allows many releases" if spec.version else "names no version, so conda installs whatever release is newest"
        fix = Fix(f"pin it, `{spec.name}=X.Y.Z` (`conda env export --no-builds` prints the versions installed)", "conda env export --no-builds")
        yield finding(path, spec.line, RULE.id, "unpinned", f"`{spec.text}` {problem}", fix)
    if environment.pip:
        parsed = requirements.parse_lines(path, environment.pip)
        require_hashes = parsed.require_hashes or any(r.hashes for r in parsed.requirements)
        for requirement in parsed.requirements:
            if requirement.allowed:
                continue
            for kind, problem in pinning.requirement_problems(requirement, require_hashes, no_local_paths=False):
                yield finding(path, requirement.line, RULE.id, kind, f"in `pip:`, {problem}", PIP_FREEZE, joiner="; ")
        for invalid in parsed.invalid:
            yield finding(path, invalid.line, RULE.id, "unparsable-line", f"in `pip:`, pip cannot parse this line: {invalid.reason}")
