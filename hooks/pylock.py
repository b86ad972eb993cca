"""A `pylock.toml` (PEP 751) is valid and in step with what it was made from, judged offline.

PEP 751 gives every installer one lock format: `pip install -r pylock.toml` and `uv pip sync
pylock.toml` install it without resolving. The file is usually written from something else —
uv's lock, pipenv's lock, a `requirements.in` or a pyproject — and committed beside it; this hook
says when the two have drifted apart, and names the tool that wrote the file (`created-by`).

## What it checks
- The file name is `pylock.toml` or `pylock.<name>.toml` (no dot in the name), as PEP 751 asks.
- The file is a valid lock by the specification: what `packaging.pylock` accepts, with its
  error and the line of the key it names.
- Exported from `uv.lock` (the header records `uv export --format pylock.toml …`): the
  packages, versions, markers, file hashes and sources are those `uv export` writes from the
  workspace's uv.lock with the recorded options (`--no-dev`, `--group`, `--extra`,
  `--all-extras`, `--no-hashes`, `--no-emit-project`, …).
- Written by pipenv (`[pipenv] use_pylock = true`): it locks the same packages, versions and
  file hashes as the `Pipfile.lock` it was generated from. Without that Pipfile.lock but beside
  its Pipfile, `pipfile-lock` reports it (`only-pylock`), once.
- Compiled from inputs (`uv pip compile requirements.in -o pylock.toml`, `uv pip compile
  pyproject.toml --extra … --group …`, `pip lock .`): every direct requirement of the inputs
  is locked, at a version that satisfies it, wherever its marker applies. This checks that the
  lock *satisfies* its inputs, not that a resolver would re-resolve to the same versions.
- A file whose origin cannot be told (another writer, no header) is only validated.
- Watched files: `pylock.toml` and `pylock.<name>.toml` at any depth; each is judged with what
  it was made from, read from disk.

## Why it matters
The server installs the pylock file, not the lock or the input it came from: when they drift
apart, production runs other versions than the ones locked and tested, and an invalid file
fails the deployment.

## Failing example
```toml
# pylock.toml exported by `uv export --format pylock.toml -o pylock.toml`;
# uv.lock has since moved six to 1.17.0
lock-version = "1.0"
created-by = "uv"

[[packages]]
name = "six"
version = "1.16.0"
```

## Passing example
The pylock.toml that `uv export --format pylock.toml -o pylock.toml` writes from the current
uv.lock.

## How to fix
Re-run the command the finding names (the `uv export` or `uv pip compile` command in the file's
header, `pipenv lock`, `pip lock . -o pylock.toml`), and commit the result.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from types import SimpleNamespace

from hooks import reading
from hooks.catalogue import rule_of_module
from hooks.findings import Finding, Fix, InputError, Location, finding
from hooks.models import pylock as model
from hooks.units import FileUnit

RULE = rule_of_module(__file__)
RENAME = Fix("rename it `pylock.toml` or `pylock.<name>.toml`, with no dot in the name")
LABELS = {"uv-export": "the lock", "pipenv": "the lock", "uv-pip-compile": "the input", "pip-lock": "the input"}


def judge(unit: FileUnit, options: SimpleNamespace) -> Iterator[Finding]:
    path = unit.path
    if not model.valid_name(path):
        yield finding(path, 1, RULE.id, "invalid-name", "is not a name PEP 751 allows, so installers do not take it for a pylock file", RENAME)
    lock, note = model.read(path)
    writer = f"(created by {lock.created_by})"
    if note is not None:
        yield finding(path, 1, RULE.id, "not-judged", f"{writer}: {note}", fails=False)
    origin = model.origin(lock)
    if origin is None:
        return
    rerun = Fix(f"re-run `{origin.command}` and commit {os.path.basename(path)}", origin.command)
    if origin.kind in ("uv-export", "pipenv", "pip-lock") and not reading.is_file(origin.source):
        if origin.kind == "pipenv" and reading.is_file(os.path.join(os.path.dirname(origin.source), "Pipfile")):
            return  # a Pipfile with a pylock file and no Pipfile.lock: pipfile-lock's only-pylock says it once
        yield finding(
            path,
            1,
            RULE.id,
            "missing-source",
            f"{writer} was made from {origin.source}, which is not there, so it cannot be checked",
            Fix(f"restore {origin.source}, or delete {os.path.basename(path)}"),
        )
        return
    try:
        if origin.kind == "uv-export":
            differences = model.compare_uv_export(lock, origin.source)
        elif origin.kind == "pipenv":
            differences = model.compare_pipfile_lock(lock, origin.source)
        else:
            directs = model.direct_requirements(origin, os.path.dirname(path) or os.curdir)
            differences = model.compare_inputs(lock, directs, lock.requires_python)
    except (ValueError, TypeError, AttributeError, KeyError) as error:
        # A value of the wrong type, or an invalid requirement, specifier or marker in what the
        # file was made from: the tool refuses it too. (packaging's Invalid* are ValueErrors.)
        reason = " ".join(str(error).split()) or type(error).__name__
        raise InputError(origin.source or path, f"has a value that cannot be read ({reason})") from None
    related = (Location(origin.source, 1, LABELS[origin.kind]),) if origin.source else ()
    for difference in differences:
        if not difference.stale:
            yield finding(path, difference.line, RULE.id, "not-judged", f"{writer}: {difference.text}", fails=False, related=related)
        elif origin.kind in ("uv-pip-compile", "pip-lock"):
            yield finding(path, difference.line, RULE.id, "input-not-satisfied", f"{writer} {difference.text}", rerun, related=related, joiner="; ")
        else:
            source = os.path.basename(origin.source)
            yield finding(path, difference.line, RULE.id, "stale", f"{writer} is stale against {source}: it {difference.text}", rerun, related=related, joiner="; ")
