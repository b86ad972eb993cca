"""Python version constraints as sets of versions: Poetry's (`^3.11`, `~3.12`, `a || b`) and
PEP 440's, and whether one allows only versions the other allows.

The subset test is exact without sampling: a constraint changes its verdict only at the
versions it names, so checking each named version, and one version strictly between each pair
of neighbours (and beyond both ends), decides it.
"""

from __future__ import annotations

import re

# Imported for type checkers only: `typing` costs a hook several milliseconds of start-up.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from packaging.specifiers import SpecifierSet
    from packaging.version import Version


def poetry_to_pep440(constraint: str) -> str:
    """Poetry's `^3.11`, `~3.12`, `3.12.*`, `>=3.10 <3.13`, `a || b` as PEP 440 alternatives
    separated by `||` (each a comma-joined specifier set)."""
    alternatives = []
    # Split with str methods, not `\s*…\s*` patterns: those go quadratic on a run of blanks.
    for alternative in (part.strip() for part in constraint.split("|")):
        if not alternative:
            continue  # `||`: the empty part between the two bars
        parts = []
        for atom in _atoms(alternative):
            if not atom or atom == "*":
                continue
            # At most nine digits a number: `int` refuses 5,000 (and no Python has such a version).
            caret = re.match(r"^\^(\d{1,9})(?:\.(\d{1,9}))?(?:\.(\d{1,9}))?$", atom)
            tilde = re.match(r"^~(\d{1,9})(?:\.(\d{1,9}))?(?:\.(\d{1,9}))?$", atom)
            if caret:
                numbers = [int(n) for n in caret.groups() if n is not None]
                upper = next((i for i, n in enumerate(numbers) if n != 0), len(numbers) - 1)
                bound = numbers[: upper + 1]
                bound[-1] += 1
                parts += [f">={'.'.join(map(str, numbers))}", f"<{'.'.join(map(str, bound))}"]
            elif tilde:
                numbers = [int(n) for n in tilde.groups() if n is not None]
                bound = numbers[:2] if len(numbers) > 1 else numbers[:1]
                bound[-1] += 1
                parts += [f">={'.'.join(map(str, numbers))}", f"<{'.'.join(map(str, bound))}"]
            elif re.match(r"^\d", atom):
                parts.append(f"=={atom}")
            else:
                parts.append(atom)
        alternatives.append(",".join(parts))
    return "||".join(alternatives)


def _atoms(alternative: str) -> list[str]:
    """`>=3.10 <3.13`, `>=3.10,<3.13`, `>= 3.10`: a new atom at each operator, blanks dropped."""
    atoms: list[str] = []
    for piece in alternative.split(","):
        for index, word in enumerate(piece.split()):
            if index and word[0] not in "<>=!~^":
                atoms[-1] += word  # `>= 3.10`: the version belongs to the operator before it
            else:
                atoms.append(word)
    return atoms


# -- release numbers against a specifier, without `packaging` ---------------------------------
# The specifiers Python declarations hold are release-number clauses (`>=3.11,<4`, `==3.12.*`,
# `~=3.11`): read here as `packaging` reads them, whose import costs a platform rule more start-up
# than its judgement. Anything else (`v3`, `===`, pre-releases, epochs, other blanks) is None.
# Up to nine digits a number: `int` refuses 4,300, and packaging's error is then the one shown.
_PLAIN_CLAUSE = r"[ \t]*(~=|==|!=|<=|>=|<|>)[ \t]*([0-9]{1,9}(?:\.[0-9]{1,9})*)(\.\*)?[ \t]*"
_PLAIN_RELEASE = r"[0-9]{1,9}(?:\.[0-9]{1,9})*"
_PLAIN_LONGEST = 1000  # longer specifiers go to packaging, as before
# The orders (release against the clause's version: -1 below, 0 equal, 1 above) each operator allows.
_ORDERS = {"==": (0,), "!=": (-1, 1), "<=": (-1, 0), ">=": (0, 1), "<": (-1,), ">": (1,)}


def _padded(release: tuple[int, ...], length: int) -> tuple[int, ...]:
    return release + (0,) * (length - len(release))


def _holds(op: str, spec: tuple[int, ...], wildcard: bool, release: tuple[int, ...]) -> bool:
    """Does the clause allow the final release `release`? (No pre-, post- or local release is
    compared here, so `<` and `>` are plain comparisons.)"""
    if wildcard or op == "~=":
        prefix = spec if wildcard else spec[:-1]  # `~=3.11` is `>=3.11, ==3.*`
        inside = _padded(release, len(prefix))[: len(prefix)] == prefix
        if op == "~=":
            return inside and _holds(">=", spec, False, release)
        return inside if op == "==" else not inside
    length = max(len(spec), len(release))
    left, right = _padded(release, length), _padded(spec, length)
    return (left > right) - (left < right) in _ORDERS[op]


def plain_allows(specifier: str, versions: list[str]) -> bool | None:
    """Does an alternative of the PEP 440 `specifier` (alternatives joined by `||`) allow one of
    the final releases `versions`, as `packaging`'s `SpecifierSet.contains` decides it? None when
    the specifier or a version is not that plain: packaging then decides."""
    if len(specifier) > _PLAIN_LONGEST or not all(re.fullmatch(_PLAIN_RELEASE, version) for version in versions):
        return None
    releases = [tuple(int(part) for part in version.split(".")) for version in versions]
    alternatives = []
    for alternative in specifier.split("||"):
        clauses = []
        for part in alternative.split(",") if alternative.strip(" \t") else []:
            match = re.fullmatch(_PLAIN_CLAUSE, part)
            # A wildcard only after `==` or `!=`, and `~=` needs two numbers (packaging refuses the rest).
            if match is None or (match[3] and match[1] not in ("==", "!=")) or (match[1] == "~=" and "." not in match[2]):
                return None
            clauses.append((match[1], tuple(int(part) for part in match[2].split(".")), bool(match[3])))
        alternatives.append(clauses)
    return any(all(_holds(*clause, release) for clause in clauses) for clauses in alternatives for release in releases)


def _alternatives(pep440: str) -> list[SpecifierSet]:
    from packaging.specifiers import SpecifierSet

    return [SpecifierSet(alternative) for alternative in pep440.split("||")]


def _allows(alternatives: list[SpecifierSet], version: Version) -> bool:
    return any(specifiers.contains(version, prereleases=True) for specifiers in alternatives)


def _between(low: Version, high: Version) -> Version:
    """A final release strictly between `low` and `high` (low < high): `low`'s release padded
    past both lengths, then 1 — it agrees with `low` wherever `high` first differs from it."""
    from packaging.version import Version

    length = max(len(low.release), len(high.release)) + 1
    release = list(low.release) + [0] * (length - len(low.release))
    release[-1] = 1
    epoch = f"{low.epoch}!" if low.epoch else ""
    return Version(epoch + ".".join(map(str, release)))


def _boundaries(specifiers: SpecifierSet) -> set[Version]:
    """The versions where `specifiers` can change its verdict: those it names, and the upper
    bounds `~=` and `.*` imply (`~=3.9` and `==3.9.*` end at 4 and 3.10)."""
    from packaging.version import Version

    found = set()
    for spec in specifiers:
        version = Version(spec.version.replace(".*", ""))
        found.add(version)
        if spec.version.endswith(".*") or spec.operator == "~=":
            release = list(version.release[:-1] if spec.operator == "~=" else version.release) or [version.release[0]]
            release[-1] += 1
            found.add(Version(".".join(map(str, release))))
    return found


def is_subset(inner: str, outer: str) -> bool:
    """Does every version PEP 440 constraint `inner` allows satisfy `outer`? (`||` separates
    alternatives; raises `packaging`'s `InvalidSpecifier` on what it cannot read.)"""
    from packaging.version import Version

    ins, outs = _alternatives(inner), _alternatives(outer)
    named = sorted(set().union(*(_boundaries(specifiers) for specifiers in (*ins, *outs))))
    if not named:
        return True  # both allow every version
    above = Version(str(named[-1].major + 1))
    candidates = [Version("0"), *named, above, _between(named[-1], above)]
    candidates += [_between(low, high) for low, high in zip(named, named[1:])]
    return all(_allows(outs, version) for version in candidates if _allows(ins, version))
