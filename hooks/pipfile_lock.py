"""`Pipfile.lock` exists and is in sync with its `Pipfile`: pipenv's own verdict, without pipenv.

Platform.sh's Python guide installs with `pipenv install --deploy`, which fails the deployment
when `Pipfile.lock` is out of date. This hook fails the commit instead: it computes the hash
pipenv records in the lock, offline, in milliseconds, and says what is wrong.

## What it checks
- A project with a `Pipfile` has a `Pipfile.lock` beside it, and a `Pipfile.lock` has its
  `Pipfile`.
- The lock's `_meta.hash.sha256` equals the hash pipenv computes from the Pipfile: sources,
  `[requires]`, `[packages]`, `[dev-packages]` and every custom category, package names PEP 503
  normalised (pipenv 2026.4 and later). Comments, whitespace, quote style, table and key order,
  `[scripts]` and `[pipenv]` do not matter; a version, a package, a source or its order does.
- A lock written by an older pipenv (2022.12 to 2026.2 hashed names as written, pipenvs before
  2022.10 ignored custom categories) is in sync for those pipenvs only: the finding says which,
  because a current pipenv rejects it.
- The pipenv the build runs decides: the one the Platform.sh/Upsun app whose root holds the
  Pipfile pins (`dependencies.python3.pipenv`, or `pip install pipenv==X` in a hook). A lock in
  sync for it passes, with a note naming the pin and the pipenvs that would reject the lock; a
  lock in sync for other pipenvs only fails, naming both.
- A Pipfile without `[[source]]`: pipenv hashes the default index in its place, which the lock
  records in `_meta.sources`. pipenv 2023.2 and later take it from the pip configuration of the
  machine that locks instead; a mismatch on such a Pipfile says so.
- A Pipfile or lock pipenv cannot read (bad TOML or JSON, a `[[source]]` without `name`, an
  unknown package option, a TOML date, no `_meta.hash`) is reported with its line.
- A pylock file (PEP 751: `pylock.toml`, or `pylock.<name>.toml`) beside the Pipfile, which
  `[pipenv] use_pylock = true` makes pipenv 2026.0 and later write on every `pipenv lock`, is
  not what pipenv installs while there is a Pipfile.lock: every install installs Pipfile.lock,
  and `pipenv install --deploy` and `pipenv verify` judge Pipfile.lock's hash alone (a stale
  lock's finding says so). The pylock file records no Pipfile hash, so with no Pipfile.lock
  pipenv cannot tell it is stale: `pipenv sync` (2026.4 and later) installs it unchecked,
  `pipenv verify` fails and `pipenv install --deploy` re-locks. That fails here, worded for the
  pinned pipenv; a pinned pipenv older than 2026.0, which ignores pylock files, gets a note.
  Whether the pylock file locks what Pipfile.lock locks is the `pylock` hook's check.
- Watched files: `Pipfile`, `Pipfile.lock` and pylock files at any depth; each project is
  judged once, with the other files read from disk, whichever of them changed.

## Why it matters
`pipenv install --deploy` refuses a stale lock, so the deployment fails after the push; plain
`pipenv install` re-locks on the server, installing releases nobody tested.

## Failing example
```toml
# Pipfile: requests was added after the lock was written
[[source]]
name = "pypi"
url = "https://example.org/simple"
verify_ssl = true

[packages]
django = "==5.1.4"
requests = "==2.32.3"
```

A Pipfile whose `Pipfile.lock` was dropped for a pylock file (`only-pylock/` in the failing
example): `pipenv install --deploy` re-locks, and `pipenv sync` installs the pylock file unchecked.

## Passing example
The same Pipfile with the `Pipfile.lock` that `pipenv lock` writes for it; with `[pipenv]
use_pylock = true` (`use-pylock/`), the `pylock.toml` it writes beside it too.

## How to fix
Run `pipenv lock` with the pipenv the build pins (or, without a pin, 2026.4 or later) and commit
`Pipfile.lock` with the Pipfile (and the pylock file it writes, with `use_pylock`); upgrade the
pin and re-lock in the same commit.
Declare `[[source]]` explicitly so that every machine hashes the same index.
"""

from __future__ import annotations

from collections.abc import Iterator
from types import SimpleNamespace

from hooks import pinned_tool, reading
from hooks.catalogue import rule_of_module
from hooks.findings import Finding, Fix, InputError, Location, finding
from hooks.models import pipfile as model
from hooks.models import tool_versions
from hooks.units import ProjectUnit

RULE = rule_of_module(__file__)
RELOCK = Fix("run `pipenv lock` and commit Pipfile.lock", "pipenv lock")
DECLARE_SOURCE = Fix("declare [[source]] in the Pipfile and run `pipenv lock`, so that every machine hashes the same index")
RELOCK_CURRENT = Fix("run `pipenv lock` with a current pipenv", "pipenv lock")


def _short(digest: str) -> str:
    return digest[:12]


def judge(project: ProjectUnit, options: SimpleNamespace) -> Iterator[Finding]:
    pipfile_path, lock_path = project.path("Pipfile"), project.path("Pipfile.lock")
    if not project.has("Pipfile"):
        if project.has("Pipfile.lock"):
            yield finding(lock_path, 1, RULE.id, "orphan-lock", "has no Pipfile beside it, so nothing says what it locks", Fix("restore the Pipfile, or delete the lock"))
        return
    pipfile = model.read_pipfile(pipfile_path)
    pylocks = model.pipenv_pylocks(reading.list_dir(project.directory))
    if not project.has("Pipfile.lock"):
        if pylocks:
            yield _only_pylock(project, pylocks, options)
        else:
            yield finding(pipfile_path, 1, RULE.id, "missing-lock", "has no Pipfile.lock beside it, so `pipenv install --deploy` has nothing to install from", RELOCK)
        return
    lock = model.read_lock(lock_path)
    if pipfile.declares_sources:
        default_sources: list[object] = []
    elif lock.sources:
        default_sources = lock.sources
    else:
        raise InputError(
            lock_path, "has no `_meta.sources`, and the Pipfile declares no [[source]], so the index pipenv hashed is unknown: declare [[source]] in the Pipfile and run `pipenv lock`", lock.hash_line
        )
    expected = model.current_hash(pipfile, default_sources)
    accepting = model.accepting_eras(pipfile, default_sources, lock.hash)
    pin = tool_versions.consumer(project.directory, "pipenv", options.root)
    if pylocks and pin is not None and tool_versions.era_of(model.PIPENV_PYLOCK_ERAS, pin.version) == "ignored":
        yield _pylock_ignored_by_pin(project, pipfile, pylocks[0], pin)
    if pin is not None and accepting:
        yield from pinned_tool.judge(RULE.id, PIPENV, lock.path, lock.hash_line, accepting, pin)
    elif lock.hash == expected:
        pass
    elif accepting:
        # Without [[source]], the index hashed is the one the lock records: pipenv's own default
        # has changed over the years, and which one a given pipenv uses is not in the lock.
        caveat = "" if pipfile.declares_sources else " (with the index the lock records, as the Pipfile declares no [[source]])"
        yield finding(
            lock_path, lock.hash_line, RULE.id, "older-tool-lock",
            f"is in sync for {PIPENV.accepted(accepting)} only{caveat}, which {_WHY[_newest(accepting)]}; "
            f"{PIPENV.accepted(CURRENT)} {_NOW[_newest(accepting)]} and reject it", RELOCK_CURRENT,
        )  # fmt: skip
        return
    else:
        problem = f"is out of date: its hash {_short(lock.hash)}… does not match the Pipfile's {_short(expected)}…"
        if pin is not None:
            problem += f" (nor what pipenv {pin.version} computes, {pin.where})"
        fix = RELOCK._replace(text=f"run `pipenv lock` with pipenv {pin.version} and commit Pipfile.lock") if pin is not None else RELOCK
        if not pipfile.declares_sources:
            fix = fix._replace(
                text=fix.text + " (this Pipfile declares no [[source]]: pipenv then hashes the index of the locking machine's pip configuration,"
                " so declare [[source]] explicitly to get the same hash everywhere)"
            )
        if pylocks:
            problem += f" ({pylocks[0]} beside it does not change this: pipenv installs and checks Pipfile.lock whenever there is one)"
        yield finding(lock_path, lock.hash_line, RULE.id, "stale-lock", problem, fix, joiner="; ")
        return
    if not pipfile.declares_sources:
        # pipenv hashes the index it uses by default, which this hook cannot know (it names
        # no registry): the lock's own record stands in for it, and the user is told so.
        urls = ", ".join(str(source.get("url")) for source in lock.sources if isinstance(source, dict))
        yield finding(
            pipfile_path, 1, RULE.id, "default-index-assumed",
            f"declares no [[source]], so it was judged with the index Pipfile.lock records ({urls}); pipenv hashes the index it uses by default, which may differ",
            DECLARE_SOURCE, fails=False,
        )  # fmt: skip


def _only_pylock(project: ProjectUnit, pylocks: list[str], options: SimpleNamespace) -> Finding:
    """A Pipfile with a pylock file but no Pipfile.lock: what the pipenv the build runs does."""
    pin = tool_versions.consumer(project.directory, "pipenv", options.root)
    era = tool_versions.era_of(model.PIPENV_PYLOCK_ERAS, pin.version) if pin is not None else "synced"
    pinned = f"pipenv {pin.version}, {pin.where}," if pin is not None else ""
    several = len(pylocks) > 1
    if era == "synced":
        does = (
            f"record{'' if several else 's'} no Pipfile hash: the `pipenv sync` of {pinned or _FIRST['synced'] + ' and later'} installs {'one' if several else 'it'} unchecked, `pipenv verify` fails"
        )
    elif era == "written":
        does = f"{pinned} does not install (`pipenv sync` from a pylock file came in {_FIRST['synced']}): `pipenv sync` and `pipenv verify` fail"
    else:
        does = f"{pinned} does not read (pylock support came in {_FIRST['written']}): `pipenv sync` fails"
    problem = f"has no Pipfile.lock beside it, only {' and '.join(pylocks)}, which {does}, and `pipenv install --deploy` re-locks, installing releases nobody tested"
    if several:
        problem += " (pipenv takes whichever pylock file its directory listing gives first)"
    related = tuple(Location(project.path(pylock), 1, "pylock file") for pylock in pylocks)
    if pin is not None:
        related += (Location(pin.path, pin.line, f"pipenv {pin.version}"),)
    fix = Fix(f"run `pipenv lock` and commit Pipfile.lock with {' and '.join(pylocks)}", "pipenv lock")
    return finding(project.path("Pipfile"), 1, RULE.id, "only-pylock", problem, fix, related=related)


def _pylock_ignored_by_pin(project: ProjectUnit, pipfile: model.Pipfile, pylock: str, pin: tool_versions.Pin) -> Finding:
    """A pylock file beside a Pipfile.lock, with a pinned pipenv older than pylock support."""
    rewrite = " and its `pipenv lock` does not rewrite this file, whatever `[pipenv] use_pylock` says" if model.uses_pylock(pipfile) else ""
    problem = f"is not read by pipenv {pin.version}, {pin.where}: pylock support came in {_FIRST['written']}, so the build installs Pipfile.lock{rewrite}"
    fix = Fix(f"pin {_FIRST['written']} or later, or delete {pylock} if nothing else installs it")
    return finding(project.path(pylock), 1, RULE.id, "pylock-ignored-by-pin", problem, fix, fails=False, related=(Location(pin.path, pin.line, f"pipenv {pin.version}"),))


# The first pipenv release of each era of pylock support ("pipenv 2026.4.0").
_FIRST = {era: f"pipenv {first}" for first, era in model.PIPENV_PYLOCK_ERAS}


CURRENT = {tool_versions.PIPENV_HASH_ERAS[-1][1]}
PIPENV = pinned_tool.Tool("pipenv", tool_versions.PIPENV_HASH_ERAS, CURRENT, "in sync", "`pipenv install --deploy` in the build rejects it", "Pipfile.lock", "pipenv lock")
# What the pipenvs of an older era did, and what current pipenvs do instead.
_WHY = {
    "sections": "ignored custom package categories",
    "categories-with-pipenv": "also hashed [pipenv] and [pipfile]",
    "categories-with-pipfile": "also hashed [pipfile]",
    "categories": "hashed package names as written",
}
_NOW = {
    "sections": "hash every category, names normalised,",
    "categories-with-pipenv": "hash neither, names normalised,",
    "categories-with-pipfile": "hash no [pipfile], names normalised,",
    "categories": "normalise names",
}


def _newest(eras: set[str]) -> str:
    return [era for _, era in tool_versions.PIPENV_HASH_ERAS if era in eras][-1]
