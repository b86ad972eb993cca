"""PEP 508 markers by meaning, normalised the way uv normalises them before it compares a lock.

uv holds a marker as a reduced ordered decision diagram: one decision node per variable, its edges
a partition of the variable's values into ranges, isomorphic nodes shared. Two markers that mean
the same are then the same diagram, so comparing meanings is comparing node ids — in time
polynomial in the diagram's size, with no truth table over Python versions or extras.

What uv folds in before comparing (uv-pep508's marker algebra), and this module with it:
- `python_version` becomes `python_full_version` (`python_version > '3.8'` is
  `python_full_version >= '3.9'`); version comparisons use the release segments only.
- `platform_system` values uv knows to be exact aliases become `sys_platform` ones (`Windows`
  is `win32`, `Darwin` `darwin`, `Linux` `linux`, `AIX` `aix`, `Emscripten` `emscripten`,
  `Android` `android`).
- every `extra == '<name>'` is a yes/no variable of its own (names canonical); `in` and
  `not in` on strings are yes/no variables too.
- string fields compare by equality; strict `<`/`>` on them is false and `<=`/`>=` is `==`,
  except `platform_release` and `platform_version`, which order as text.
Not folded in: uv's list of known-incompatible platform pairs (`sys_platform == 'win32' and
platform_system == 'FreeBSD'`), which only matters to markers that contradict themselves.
"""

from __future__ import annotations

import functools
import re
from bisect import bisect_right
from typing import Any

from hooks.models import plain_pep508
from hooks.models.names import canonical

FALSE, TRUE = 0, 1

# A cut splits a variable's values: (0,) is minus infinity, (2,) plus infinity, (1, v, 0) just
# below the value v and (1, v, 1) just above it. A node's edges are the segments between its cuts.
Cut = tuple[Any, ...]

_PLATFORM_SYSTEM_ALIASES = {"Windows": "win32", "Darwin": "darwin", "Linux": "linux", "AIX": "aix", "Emscripten": "emscripten", "Android": "android"}
_VERSION_FIELDS = {"python_full_version", "implementation_version"}
_ORDERED_TEXT_FIELDS = {"platform_release", "platform_version"}

# Decision nodes, interned: id -> (variable, cuts, children). Ids 0 and 1 are the terminals.
_nodes: list[tuple[Any, tuple[Cut, ...], tuple[int, ...]]] = [((), (), ()), ((), (), ())]
_unique: dict[tuple[Any, tuple[Cut, ...], tuple[int, ...]], int] = {}


def _node(variable: tuple[str, ...], cuts: tuple[Cut, ...], children: tuple[int, ...]) -> int:
    """The interned node, reduced: neighbouring segments with the same child are merged, and a
    node whose segments all lead to one child is that child."""
    merged_cuts: list[Cut] = []
    merged_children = [children[0]]
    for cut, child in zip(cuts, children[1:]):
        if child == merged_children[-1]:
            continue
        merged_cuts.append(cut)
        merged_children.append(child)
    if len(merged_children) == 1:
        return merged_children[0]
    key = (variable, tuple(merged_cuts), tuple(merged_children))
    found = _unique.get(key)
    if found is None:
        found = _unique[key] = len(_nodes)
        _nodes.append(key)
    return found


def _ranges(variable: tuple[str, ...], intervals: list[tuple[Cut, Cut]]) -> int:
    """The node that is true on the union of `intervals` (sorted, disjoint) of `variable`."""
    cuts: list[Cut] = []
    children = [FALSE]
    for low, high in intervals:
        if low != (0,):
            cuts.append(low)
            children.append(TRUE)
        else:
            children[-1] = TRUE
        if high != (2,):
            cuts.append(high)
            children.append(FALSE)
    return _node(variable, tuple(cuts), tuple(children))


def _boolean(variable: tuple[str, ...], value: bool = True) -> int:
    node = _ranges(variable, [((1, "", 0), (1, "", 1))])
    return node if value else negate(node)


@functools.cache
def negate(a: int) -> int:
    if a <= TRUE:
        return TRUE - a
    variable, cuts, children = _nodes[a]
    return _node(variable, cuts, tuple(negate(c) for c in children))


@functools.cache
def conjoin(a: int, b: int) -> int:
    if a == FALSE or b == FALSE:
        return FALSE
    if a == TRUE or a == b:
        return b
    if b == TRUE:
        return a
    if a > b:
        return conjoin(b, a)
    (var_a, cuts_a, children_a), (var_b, cuts_b, children_b) = _nodes[a], _nodes[b]
    if var_a < var_b:
        return _node(var_a, cuts_a, tuple(conjoin(c, b) for c in children_a))
    if var_b < var_a:
        return _node(var_b, cuts_b, tuple(conjoin(a, c) for c in children_b))
    cuts = tuple(sorted(set(cuts_a) | set(cuts_b)))
    # Segment k of the merged partition starts at cut k-1 and lies inside one segment of each side.
    children = [conjoin(children_a[0], children_b[0])]
    for cut in cuts:
        children.append(conjoin(children_a[bisect_right(cuts_a, cut)], children_b[bisect_right(cuts_b, cut)]))
    return _node(var_a, cuts, tuple(children))


def disjoin(a: int, b: int) -> int:
    return negate(conjoin(negate(a), negate(b)))


# -- versions -----------------------------------------------------------------------------------


def _release(text: str) -> tuple[int, ...]:
    """The release segments of a version, trailing zeros dropped (`3.9.0` is `3.9`): uv compares
    marker versions by release only."""
    plain = plain_pep508.release(text)
    if plain is None:
        from packaging.version import Version

        plain = Version(text).release
    release = list(plain)
    while release and release[-1] == 0:
        release.pop()
    return tuple(release)


def _bump(release: tuple[int, ...], index: int) -> tuple[int, ...]:
    """The first release after every release starting with `release[:index + 1]`."""
    padded = (*release, *(0,) * (index + 1 - len(release)))
    bumped = (*padded[:index], padded[index] + 1)
    return _release(".".join(map(str, bumped)))


def _below(release: tuple[int, ...]) -> Cut:
    return (1, release, 0)


def _above(release: tuple[int, ...]) -> Cut:
    return (1, release, 1)


def specifier_intervals(operator: str, version: str) -> list[tuple[Cut, Cut]]:
    """Where a release-only version specifier holds, as sorted disjoint intervals of cuts."""
    star = version.endswith(".*")
    if star:
        version = version[:-2]
    release = _release(version)
    if star:
        segments = len(version.split("."))
        inside = [(_below(release), _below(_bump(release, segments - 1)))]
        return inside if operator == "==" else _complement(inside)
    if operator in ("==", "==="):
        return [(_below(release), _above(release))]
    if operator == "!=":
        return _complement([(_below(release), _above(release))])
    if operator == ">=":
        return [(_below(release), (2,))]
    if operator == ">":
        return [(_above(release), (2,))]
    if operator == "<=":
        return [((0,), _above(release))]
    if operator == "<":
        return [((0,), _below(release))]
    if operator == "~=":
        written = len(version.split("."))
        return [(_below(release), _below(_bump(release, written - 2)))]
    raise ValueError(f"unknown version operator {operator!r}")


def _complement(intervals: list[tuple[Cut, Cut]]) -> list[tuple[Cut, Cut]]:
    found, start = [], (0,)
    for low, high in intervals:
        if low != start:
            found.append((start, low))
        start = high
    if start != (2,):
        found.append((start, (2,)))
    return found


def _python_version(operator: str, version: str) -> int:
    """`python_version <op> <version>` as a `python_full_version` node: python_version is only
    major.minor, so `> 3.8` means `>= 3.9`, and `== 3.8.1` can never hold (uv's rules)."""
    variable = ("python_full_version",)
    if version.endswith(".*"):
        release = [int(p) for p in version[:-2].split(".")]
        if len(release) > 2 and any(release[2:]):
            return FALSE
        return _ranges(variable, specifier_intervals(operator, ".".join(map(str, release[:2])) + ".*"))
    written = [int(p) for p in _release_text(version).split(".")]
    if operator == "~=":
        if len(written) == 2:
            return _ranges(variable, specifier_intervals(operator, version))
        if any(written[2:]):
            return FALSE
        return _ranges(variable, specifier_intervals("==", f"{written[0]}.{written[1]}.*"))
    trimmed = list(_release(version)) or [0]
    if len(trimmed) <= 2:
        major, minor = trimmed[0], trimmed[1] if len(trimmed) > 1 else 0
        rewritten = {
            "==": ("==", f"{major}.{minor}.*"),
            "===": ("==", f"{major}.{minor}.*"),
            "!=": ("!=", f"{major}.{minor}.*"),
            ">": (">=", f"{major}.{minor + 1}"),
            "<=": ("<", f"{major}.{minor + 1}"),
        }
        operator, version = rewritten.get(operator, (operator, f"{major}.{minor}"))
        return _ranges(variable, specifier_intervals(operator, version))
    major, minor = trimmed[0], trimmed[1]
    if operator in ("==", "==="):
        return FALSE
    if operator == "!=":
        return TRUE
    if operator in ("<", "<="):
        return _ranges(variable, specifier_intervals("<", f"{major}.{minor + 1}"))
    return _ranges(variable, specifier_intervals(">=", f"{major}.{minor + 1}"))


def _release_text(version: str) -> str:
    plain = plain_pep508.release(version)
    if plain is None:
        from packaging.version import Version

        plain = Version(version).release
    return ".".join(map(str, plain))


def requires_python(specifier: str) -> int:
    """The `python_full_version` node of a `requires-python` specifier set."""
    clauses = plain_pep508.clauses(specifier or "")
    if clauses is None:
        from packaging.specifiers import SpecifierSet

        clauses = [(spec.operator, spec.version) for spec in SpecifierSet(specifier or "")]
    node = TRUE
    for operator, version in clauses:
        node = conjoin(node, _ranges(("python_full_version",), specifier_intervals(operator, version)))
    return node


# -- expressions ------------------------------------------------------------------------------

_FLIPPED = {"<": ">", "<=": ">=", ">": "<", ">=": "<=", "==": "==", "!=": "!=", "~=": "~=", "===": "==="}


def _expression(left: Any, operator: str, right: Any) -> int:
    kinds = (type(left).__name__, type(right).__name__)
    if kinds == ("Value", "Variable"):
        if operator in ("in", "not in"):
            # `'x' in sys_platform`: a yes/no variable of its own.
            node = _boolean(("contains", right.value, left.value))
            return node if operator == "in" else negate(node)
        left, right, operator = right, left, _FLIPPED[operator]
    key, value = left.value, right.value
    if key == "extra":
        if not re.fullmatch(r"[A-Za-z0-9]([A-Za-z0-9._-]*[A-Za-z0-9])?", value):
            return FALSE
        node = _boolean(("extra", canonical(value)))
        return node if operator == "==" else negate(node)
    if key in ("python_version", "python_full_version", "implementation_version") and operator in ("in", "not in"):
        node = FALSE
        for item in value.split():
            node = disjoin(node, _expression(left, "==", type(right)(item)))
        return node if operator == "in" else negate(node)
    if operator in ("in", "not in"):
        node = _boolean(("in", key, value))
        return node if operator == "in" else negate(node)
    if key == "python_version":
        return _python_version(operator, value)
    if key in _VERSION_FIELDS:
        return _ranges((key,), specifier_intervals(operator, value))
    if key == "platform_system" and value in _PLATFORM_SYSTEM_ALIASES:
        key, value = "sys_platform", _PLATFORM_SYSTEM_ALIASES[value]
    variable = ("text", key)
    point = [((1, value, 0), (1, value, 1))]
    if operator in ("==", "==="):
        return _ranges(variable, point)
    if operator == "!=":
        return _ranges(variable, _complement(point))
    ordered: dict[str, list[tuple[Cut, Cut]]] = {"<": [((0,), (1, value, 0))], "<=": [((0,), (1, value, 1))], ">": [((1, value, 1), (2,))], ">=": [((1, value, 0), (2,))]}
    if key in _ORDERED_TEXT_FIELDS and operator in ordered:
        return _ranges(variable, ordered[operator])
    return FALSE if operator in ("<", ">", "~=") else _ranges(variable, point)


def _tree(markers: list[Any]) -> int:
    """packaging's parsed marker list: `or` separates groups of `and`-ed items."""
    node = FALSE
    group = TRUE
    for item in markers:
        if item == "or":
            node, group = disjoin(node, group), TRUE
        elif item == "and":
            continue
        elif isinstance(item, list):
            group = conjoin(group, _tree(item))
        else:
            left, operator, right = item
            group = conjoin(group, _expression(left, operator.value, right))
    return disjoin(node, group)


@functools.lru_cache(maxsize=8192)
def meaning(text: str | None) -> int:
    """The node of a marker's text (None or empty: always true); `ValueError` when invalid."""
    if not text:
        return TRUE
    plain = plain_pep508.marker(text)
    if plain is not None:
        return _tree(plain[0])
    from packaging.markers import Marker

    return _tree(Marker(text)._markers)


def with_extra(node: int, extra: str) -> int:
    """`(<marker>) and extra == '<extra>'`: how uv folds an optional dependency's extra in."""
    return conjoin(node, _boolean(("extra", canonical(extra))))
