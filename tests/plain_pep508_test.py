"""What `hooks.models.plain_pep508` reads without packaging, it reads exactly as packaging does;
what it cannot read it leaves to packaging (None)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from packaging.markers import Marker
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet
from packaging.version import Version

from hooks.models import plain_pep508, uv_markers

PLAIN_REQUIREMENTS = [
    "django",
    "Django>=4.2",
    "django >= 4.2 , < 5",
    "requests[socks]==2.32.3",
    "requests [ socks , Security ] ~=2.32",
    "foo[]",
    "foo.bar_baz-qux<=1.0.0",
    "a>1,>1,<3",
    "greeting[net] ; python_version >= '3.11'",
    "pywin32==306; sys_platform == 'win32'",
    'uvloop ; sys_platform != "win32" and platform_python_implementation == "CPython"',
    "foo ; extra == 'Dev_Tools' or 'linux' in sys_platform",
    "foo ; '3.9' <= python_version",
    "foo ; platform_system == 'Windows' and python_full_version < '3.12.1'",
    "x ; python_version in '3.8 3.9'",
]

TO_PACKAGING = [
    "foo @ https://example.invalid/foo.whl",
    "foo>=1.0a1",
    "foo==1.*",
    "foo==1.0+local",
    "foo (>=1.0)",
    "foo~=1",
    "foo>=1.0,",
    "foo ; (python_version >= '3.9')",
    "foo ; python_version not in '3.8'",
    "foo ; os.name == 'posix'",
    "foo ; os_name == '\\N'",  # packaging reads values as Python literals: an escape it refuses
    "foo ; os_name == 'a\\b'",  # ... or one it turns into a backspace
    "foo ; os_name == 'a\x01'",
    "foo ; python_version >= '3.9' and",
    "foo ; ",
    "foo>=1 <2",
    "-foo",
    "a" * 300,
]


@pytest.mark.parametrize("text", PLAIN_REQUIREMENTS)
def test_a_plain_requirement_reads_as_packaging_reads_it(text: str) -> None:
    plain = plain_pep508.requirement(text)
    assert plain is not None
    name, extras, clauses, marker = plain
    requirement = Requirement(text)
    assert (name, set(extras), plain_pep508.specifier_text(clauses), marker) == (requirement.name, requirement.extras, str(requirement.specifier), str(requirement.marker or ""))
    if marker:
        assert uv_markers.meaning(marker) == uv_markers._tree(Marker(marker)._markers)


@pytest.mark.parametrize("text", TO_PACKAGING)
def test_anything_else_is_left_to_packaging(text: str) -> None:
    assert plain_pep508.requirement(text) is None


@pytest.mark.parametrize(("version", "release"), [("3", (3,)), ("3.09", (3, 9)), ("1.0.0", (1, 0, 0)), ("1.0a1", None), ("1.*", None), ("v1", None), ("1.", None)])
def test_release_numbers(version: str, release: tuple[int, ...] | None) -> None:
    assert plain_pep508.release(version) == release
    if release is not None:
        assert Version(version).release == release


# -- generated: plain forms with the spellings packaging accepts -----------------------------------

_space = st.sampled_from(["", " ", "  ", "\t"])
_name = st.from_regex(r"[A-Za-z0-9]([A-Za-z0-9._-]{0,6}[A-Za-z0-9])?", fullmatch=True)
_release = st.lists(st.integers(0, 20), min_size=1, max_size=4).map(lambda parts: ".".join(map(str, parts)))
_clause = st.tuples(st.sampled_from(["==", "!=", "<=", ">=", "<", ">", "~="]), _release).filter(lambda c: c[0] != "~=" or "." in c[1])
_variable = st.sampled_from(sorted(plain_pep508._VARIABLES))
_comparison = st.tuples(_variable, st.sampled_from([*plain_pep508._OPERATORS, "in"]), st.from_regex(r"[A-Za-z0-9._ -]{0,8}", fullmatch=True), st.booleans(), st.sampled_from(["'", '"']))


@st.composite
def _requirements(draw: st.DrawFn) -> str:
    text = draw(_space) + draw(_name) + draw(_space)
    extras = draw(st.lists(_name, max_size=3))
    if extras or draw(st.booleans()):
        text += "[" + draw(_space) + ("," + draw(_space)).join(extras) + draw(_space) + "]" + draw(_space)
    clauses = draw(st.lists(_clause, max_size=3))
    text += ",".join(draw(_space) + operator + draw(_space) + version + draw(_space) for operator, version in clauses)
    comparisons = draw(st.lists(_comparison, max_size=3))
    if comparisons:
        parts = []
        for index, (variable, operator, value, swapped, quote) in enumerate(comparisons):
            if index:
                parts.append(draw(st.sampled_from(["and", "or"])))
            quoted = f"{quote}{value}{quote}"
            parts.append(f"{quoted} {operator} {variable}" if swapped else f"{variable} {operator} {quoted}")
        text += " ;" + draw(_space) + " ".join(parts) + draw(_space)
    return text


@settings(max_examples=400, deadline=None)
@given(_requirements())
def test_generated_requirements_read_as_packaging_reads_them(text: str) -> None:
    plain = plain_pep508.requirement(text)
    try:
        requirement = Requirement(text)
    except Exception:  # noqa: BLE001 - packaging refuses it: then so must the plain reading
        assert plain is None
        return
    if plain is None:
        return
    name, extras, clauses, marker = plain
    assert (name, set(extras), plain_pep508.specifier_text(clauses), marker) == (requirement.name, requirement.extras, str(requirement.specifier), str(requirement.marker or ""))
    # requires-python read from the clauses means what packaging's specifier set means.
    expected_python = uv_markers.TRUE
    for spec in SpecifierSet(str(requirement.specifier)):
        expected_python = uv_markers.conjoin(expected_python, uv_markers._ranges(("python_full_version",), uv_markers.specifier_intervals(spec.operator, spec.version)))
    assert uv_markers.requires_python(plain_pep508.specifier_text(clauses)) == expected_python
    if marker:
        try:
            expected = uv_markers._tree(Marker(marker)._markers)
        except ValueError:
            return
        assert uv_markers.meaning(marker) == expected
