"""What `python_versions.plain_allows` decides without packaging, it decides as packaging's
`SpecifierSet.contains` does; what it cannot read it leaves to packaging (None)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from packaging.specifiers import SpecifierSet

from hooks.models.python_versions import plain_allows
from hooks.platform_python_version import allows

# What Python declarations say: requires-python, Pipfile's python_version (as `==X.Y.*`),
# Poetry's constraints once turned into PEP 440 alternatives.
PLAIN = [
    ">=3.11", ">=3.11,<4", ">= 3.9 , < 3.13", "==3.12.*", "!=3.12.*", "==3.*", "==3.12", "==3.12.0.0", "!=3.12",
    "~=3.11", "~=3.12.1", "~=3.12.0", "<3.12", "<=3.12", ">3.12", ">3.12.0", "<3.12.1", ">=03.012", "==3.12.0.*",
    ">=3.9,<3.10||>=3.12,<3.13", "", "||>=4", ">=3.13||", ">=3.10,!=3.11.*,<3.13",
]  # fmt: skip
# Left to packaging: spellings it reads (or refuses) that are not plain release numbers.
TO_PACKAGING = [
    ">=v3.11", "===3.12", ">=3.12rc1", "==3.12+local", "==1!3.12", ">=3.11,", "\t\n>=3.11", ">=3.*", "~=3", "~=3.12.*", "python>=3",
    ">=3.1234567890", ">=3.11" + ",>=3.11" * 200,
]  # fmt: skip
VERSIONS = ["3.8", "3.11", "3.12", "3.13", "4.0"]


def _packaging(specifier: str, version: str) -> bool:
    """As the rule asked packaging before: every alternative read first (one it refuses raises)."""
    sets = [SpecifierSet(part) for part in specifier.split("||")]
    return any(spec.contains(f"{version}.{patch}", prereleases=True) for spec in sets for patch in range(0, 40))


@pytest.mark.parametrize("version", VERSIONS)
@pytest.mark.parametrize("specifier", PLAIN)
def test_a_plain_specifier_allows_what_packaging_allows(specifier: str, version: str) -> None:
    assert plain_allows(specifier, [f"{version}.{patch}" for patch in range(0, 40)]) is _packaging(specifier, version)


@pytest.mark.parametrize("specifier", TO_PACKAGING)
def test_anything_else_is_left_to_packaging(specifier: str) -> None:
    assert plain_allows(specifier, ["3.12.0"]) is None


@pytest.mark.parametrize("version", ["3.12.0", "3.12.0rc1", "v3.12", "\u0663.12", "3." + "1" * 5000])
def test_a_version_that_is_not_a_plain_release_is_left_to_packaging(version: str) -> None:
    assert (plain_allows(">=3", [version]) is None) is (version != "3.12.0")


@pytest.mark.parametrize(("specifier", "expected"), [("==3.12.*", True), (">=3.13", False), ("~=3.11", True), ("===3.12.0", True), ("~=3", None), (">=3.12rc1", True)])
def test_the_rule_asks_packaging_only_when_the_plain_reader_cannot_say(specifier: str, expected: bool | None) -> None:
    assert allows(specifier, "3.12") is expected


_CLAUSE = st.builds(
    "{}{}{}".format,
    st.sampled_from(["==", "!=", "<=", ">=", "<", ">", "~="]),
    st.lists(st.integers(0, 14), min_size=1, max_size=4).map(lambda numbers: ".".join(map(str, numbers))),
    st.sampled_from(["", ".*"]),
)


@settings(max_examples=400, deadline=None)
@given(st.lists(st.lists(_CLAUSE, max_size=3).map(",".join), min_size=1, max_size=2).map("||".join), st.sampled_from(["2.7", "3.0", "3.9", "3.12", "3.14", "14.0"]))
def test_generated_specifiers_allow_what_packaging_allows(specifier: str, version: str) -> None:
    plain = plain_allows(specifier, [f"{version}.{patch}" for patch in range(0, 40)])
    try:
        expected = _packaging(specifier, version)
    except ValueError:  # InvalidSpecifier: packaging refuses it, so must the plain reader
        assert plain is None
        return
    assert plain is expected
