"""Is a requirement pinned to exactly one release? The judgement every rule shares.

`requirements-pinned`, the `pip:` list of a conda environment and the `pip install` lines of a
Platform.sh build hook all ask it, so it lives here, once.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator

# Imported for type checkers only: `typing` costs a hook several milliseconds of start-up.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from hooks.models.requirements import Requirement

# The URL patterns as text: `re` compiles them only for a requirement that is a URL.
_FULL_COMMIT = r"^([0-9a-f]{40}|[0-9a-f]{64})$"
_VCS_SCHEMES = ("git+", "hg+", "svn+", "bzr+", "git://")
_URL_HASH = r"[#&](sha256|sha384|sha512|sha1|md5|sha224)=[0-9a-fA-F]+"


# `==1.2.3` alone, the shape of nearly every pin: judged without building a SpecifierSet, whose
# import alone (packaging.specifiers pulls in packaging.tags) costs more than judging a file.
_SIMPLE_PIN = re.compile(r"^==(?P<version>[A-Za-z0-9.+!_-]+)$")


# Numbers and dots only (`1.26.4`): a PEP 440 release, known without `packaging` (whose parse
# costs ten microseconds, the time of a whole line of a big pinned file). Up to 4,000 characters:
# packaging cannot read a number of more than 4,300 digits (Python's limit for `int`).
_PLAIN_RELEASE = re.compile(r"^[0-9]+(?:\.[0-9]+)*$")


@functools.lru_cache(maxsize=4096)
def is_version(text: str) -> bool:
    """Is `text` a version `packaging` accepts (PEP 440)? Cached: a monorepo repeats its pins."""
    if len(text) <= 4000 and _PLAIN_RELEASE.match(text):
        return True
    from packaging.version import InvalidVersion, Version

    try:
        Version(text)
    except InvalidVersion:
        return False
    except ValueError:
        return False  # a number over Python's 4,300-digit limit: no tool can compare it
    return True


def exact_version(specifier: str) -> str | None:
    """The one version `specifier` allows (`==1.2.3`, `===1.2.3`), or None.

    `==1.*` is a wildcard: it allows every 1.x release, so it is not a pin.
    """
    simple = _SIMPLE_PIN.match(specifier)
    if simple:
        return simple["version"] if is_version(simple["version"]) else None
    from packaging.specifiers import InvalidSpecifier, SpecifierSet

    try:
        specifiers = SpecifierSet(specifier)
    except InvalidSpecifier:
        return None
    for spec in specifiers:
        if spec.operator == "===" or (spec.operator == "==" and not spec.version.endswith(".*")):
            return spec.version
    return None


def specifier_problem(specifier: str) -> str:
    """Why a named requirement's specifier is not a pin, for the finding's message."""
    if not specifier:
        return "it has no version, so pip installs whatever release is newest"
    if "==" in specifier and ".*" in specifier:
        return f"`{specifier}` is a wildcard, which allows many releases"
    return f"`{specifier}` allows many releases"


def vcs_revision(url: str) -> str | None:
    """The revision after `@` in a VCS URL's path (`git+https://host/x.git@<rev>#egg=x`)."""
    from urllib.parse import urlsplit  # with ipaddress: only for a requirement that is a VCS URL

    _, _, rest = url.partition("+") if "+" in url.split(":", 1)[0] else ("", "", url)
    path = urlsplit(rest).path
    return path.rpartition("@")[2] if "@" in path else None


def url_problem(url: str, hashes: tuple[str, ...] = ()) -> str | None:
    """Why a direct reference is not immutable, or None when it is.

    A VCS URL is immutable when pinned to a full commit id (a branch or tag can move); an
    archive URL when a hash (`#sha256=` or `--hash`) says what its content must be.
    """
    lowered = url.lower()
    if lowered.startswith(_VCS_SCHEMES):
        revision = vcs_revision(url)
        if revision is None:
            return "is a VCS URL with no revision, so it installs whatever the default branch holds"
        if lowered.startswith("svn+") and revision.isdigit():
            return None
        if re.match(_FULL_COMMIT, revision.lower()):
            return None
        return f"is a VCS URL at `{revision}`, a branch, tag or short id that can move: use the full 40-character commit id"
    if hashes or re.search(_URL_HASH, url):
        return None
    return "is an archive URL without a hash, whose content can change: add `#sha256=<digest>` or `--hash=sha256:<digest>`"


def shown(requirement: Requirement) -> str:
    """The requirement as the user wrote it, options left out, for a message."""
    return requirement.text.split(" --")[0]


def requirement_problems(requirement: Requirement, require_hashes: bool, no_local_paths: bool) -> Iterator[tuple[str, str]]:
    """(kind, why) for each way `requirement` does not name exactly one immutable release."""
    if requirement.url is None:
        if exact_version(requirement.specifier) is None:
            yield "unpinned", f"`{shown(requirement)}` is not pinned: {specifier_problem(requirement.specifier)}"
    elif requirement.is_local:
        if no_local_paths:
            yield "local-path", f"`{shown(requirement)}` is a local path, whose content is whatever the checkout holds: publish it and pin its version, or allow local paths"
    else:
        problem = url_problem(requirement.url, requirement.hashes)
        if problem:
            yield "mutable-url", f"`{shown(requirement)}` {problem}"
    if require_hashes and not requirement.hashes and not requirement.is_local:
        yield (
            "missing-hash",
            (
                f"`{shown(requirement)}` has no `--hash`, but hashes are required here (pip refuses a file "
                "where only some requirements have hashes): add `--hash=sha256:<digest>` "
                "(`pip-compile --generate-hashes` or `pip hash` gives the digests)"
            ),
        )
