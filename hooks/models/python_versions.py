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
