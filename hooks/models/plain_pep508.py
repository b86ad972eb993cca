"""Requirements, specifiers and markers plain enough to read without `packaging`: a name, maybe
extras, comparisons with release numbers, and a marker of plain comparisons joined by `and` and
`or` (`django[argon2] >=4.2, <5 ; python_version >= '3.10'`).

Most requirements in a pyproject.toml look like that, and importing `packaging`'s requirements
(with the logging, subprocess and platform modules it pulls in) costs uv-lock more start-up than
everything else it does on a small project. What is read here is read exactly as `packaging`
reads it (tests/plain_pep508_test.py holds the two equal); anything else — markers, URLs,
pre-releases, wildcards, parentheses — is None, and the caller asks `packaging`.
"""

from __future__ import annotations

import re

from hooks.models.names import canonical

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

_NAME = r"[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?"
_RELEASE = re.compile(r"[0-9]+(?:\.[0-9]+)*")
_CLAUSE = re.compile(r"[ \t]*(~=|==|!=|<=|>=|<|>)[ \t]*([0-9]+(?:\.[0-9]+)*)[ \t]*")
# Longer texts go to packaging: the patterns backtrack on a long name that fails to match.
_LONGEST = 200
_REQUIREMENT = re.compile(rf"[ \t]*({_NAME})[ \t]*(?:\[[ \t]*((?:{_NAME})(?:[ \t]*,[ \t]*{_NAME})*)?[ \t]*\])?[ \t]*([^;@()\[\]]*)")


def clauses(specifier: str) -> list[tuple[str, str]] | None:
    """The (operator, version) clauses of a specifier set of release numbers, as written."""
    if not isinstance(specifier, str):  # a hostile file's value: packaging says what is wrong
        return None
    if not specifier.strip(" \t"):
        return []
    if len(specifier) > _LONGEST:
        return None
    found = []
    for part in specifier.split(","):
        match = _CLAUSE.fullmatch(part)
        # `~=` needs two release segments; packaging refuses `~=1`, so it must say so.
        if match is None or (match[1] == "~=" and "." not in match[2]):
            return None
        found.append((match[1], match[2]))
    return found


def requirement(text: str) -> tuple[str, tuple[str, ...], list[tuple[str, str]], str] | None:
    """The name, extras (as written), specifier clauses and marker (as `str(Marker)` writes it,
    or "") of a plain requirement."""
    if not isinstance(text, str):
        return None
    head, semicolon, tail = text.partition(";")
    match = _REQUIREMENT.fullmatch(head) if len(text) <= _LONGEST else None
    if match is None:
        return None
    specifier = clauses(match[3])
    parsed = marker(tail) if semicolon else ([], "")
    if specifier is None or parsed is None or (semicolon and not parsed[0]):
        return None
    extras = tuple(extra.strip(" \t") for extra in match[2].split(",")) if match[2] else ()
    return match[1], extras, specifier, parsed[1]


# -- markers ----------------------------------------------------------------------------------

# The marker variables under their PEP 508 names (packaging also takes older spellings: those go to it).
_VARIABLES = frozenset(
    (
        "extra",
        "implementation_name",
        "implementation_version",
        "os_name",
        "platform_machine",
        "platform_python_implementation",
        "platform_release",
        "platform_system",
        "platform_version",
        "python_full_version",
        "python_version",
        "sys_platform",
    )
)
_OPERATORS = ("===", "==", "!=", "<=", ">=", "~=", "<", ">")
# A quoted value holding a backslash or a control character is left to packaging, which reads
# it as a Python literal (`'a\\b'` holds a backspace; a newline is refused).
_TOKEN = re.compile(r"""[ \t]*(?:([a-z_]+)|'([^'"\\\x00-\x1f\x7f]*)'|"([^'"\\\x00-\x1f\x7f]*)"|(===|==|!=|<=|>=|~=|<|>))""")


class Variable(str):
    """A marker variable, as packaging's parse names it (the judge reads `.value`)."""

    @property
    def value(self) -> str:
        return str(self)


class Value(Variable):
    """A quoted marker value."""


class Op(Variable):
    """A marker operator."""


def marker(text: str) -> tuple[list[Any], str] | None:
    """packaging's parse of a plain marker (comparisons joined by `and`/`or`) and its text as
    `str(Marker)` writes it; None for anything else."""
    if not isinstance(text, str) or len(text) > _LONGEST:
        return None
    words: list[tuple[str, str]] = []  # (kind, text)
    position, end = 0, len(text.rstrip(" \t"))
    while position < end:
        match = _TOKEN.match(text, position)
        if match is None:
            return None
        position = match.end()
        if match[1] is not None:
            words.append(("word", match[1]))
        elif match[4] is not None:
            words.append(("op", match[4]))
        else:
            words.append(("value", match[2] if match[2] is not None else match[3]))
    parsed: list[Any] = []
    index = 0
    while index < len(words):
        if parsed:
            joiner = words[index]
            if joiner not in (("word", "and"), ("word", "or")):
                return None
            parsed.append(joiner[1])
            index += 1
        item = _comparison(words[index : index + 3])
        if item is None:
            return None
        parsed.append(item)
        index += 3
    return parsed, " ".join(_shown(item) if isinstance(item, tuple) else item for item in parsed)


def _comparison(words: list[tuple[str, str]]) -> tuple[Variable, Op, Variable] | None:
    if len(words) != 3:
        return None
    (left_kind, left), (op_kind, operator), (right_kind, right) = words
    if op_kind == "word" and operator == "in":
        op_kind = "op"
    if op_kind != "op" or operator not in (*_OPERATORS, "in"):
        return None
    if left_kind == "word" and right_kind == "value" and left in _VARIABLES:
        return Variable(left), Op(operator), Value(canonical(right) if left == "extra" else right)
    if left_kind == "value" and right_kind == "word" and right in _VARIABLES:
        return Value(canonical(left) if right == "extra" else left), Op(operator), Variable(right)
    return None


def _shown(item: tuple[Variable, Op, Variable]) -> str:
    return " ".join(f'"{part}"' if isinstance(part, Value) else str(part) for part in item)


def specifier_text(specifier: list[tuple[str, str]]) -> str:
    """The specifier set as `str(packaging.specifiers.SpecifierSet(...))` writes it: sorted, and
    of clauses that are equal (`==1.0` and `==1`; trailing zeros count only for `~=`) the first."""
    kept: dict[tuple[str, tuple[int, ...]], str] = {}
    for operator, version in sorted(specifier, key=lambda clause: clause[0] + clause[1]):
        release = [int(part) for part in version.split(".")]
        while operator != "~=" and len(release) > 1 and release[-1] == 0:
            release.pop()
        kept.setdefault((operator, tuple(release)), operator + version)
    return ",".join(kept.values())


def release(version: str) -> tuple[int, ...] | None:
    """The release segments of a plain release number (`3.09` is `(3, 9)`), else None."""
    if _RELEASE.fullmatch(version) is None:
        return None
    return tuple(int(part) for part in version.split("."))
