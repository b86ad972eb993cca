"""Every pattern rewritten so that it cannot backtrack super-linearly: held equal to the pattern
it replaces (on short inputs, where the old one is fast), and timed on the 16 MiB input that
made the old one take minutes."""

from __future__ import annotations

import re
import time
from collections.abc import Callable

import pip_requirements_parser
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hooks import reading
from hooks.models import conda, poetry, requirements

BIG = 16 * 1024 * 1024


def seconds(function: Callable[[], object]) -> float:
    start = time.perf_counter()
    function()
    return time.perf_counter() - start


def _budget() -> float:
    """Two seconds, or on a slower (or busier) machine 4 times one linear regular-expression
    pass over BIG characters: a linear pattern stays within it, a super-linear one takes minutes."""
    return max(2.0, 4 * seconds(lambda: re.search(r"#\bz", "#" * BIG)))


BUDGET = _budget()


def texts(alphabet: str, max_size: int = 12) -> st.SearchStrategy[str]:
    return st.text(alphabet=alphabet, max_size=max_size)


# -- Poetry's version constraints --------------------------------------------------------------------

# What poetry-lock parses is held equal to poetry-core's parser in tests/poetry_differential_test.py;
# here, only that the worst inputs end quickly.


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("1" * 26 + "#", id="26-digits-and-hash"),
        pytest.param("1" * BIG + "#", id="16mib-digits-and-hash"),
        pytest.param(">=1 " * (BIG // 64) + "#", id="1mib-of-atoms-and-hash"),
        pytest.param("1" + " " * (BIG // 16) + "#", id="1mib-of-blanks-and-hash"),
        pytest.param("1||" * (BIG // 48) + "#", id="1mib-of-alternatives-and-hash"),
    ],
)
def test_a_bad_constraint_is_refused_quickly(text: str) -> None:
    assert seconds(lambda: poetry.load_problem({"tool": {"poetry": {"dependencies": {"x": text}}}})) < BUDGET


# -- requirements files: the allow marker and pip-requirements-parser's patterns ---------------------

OLD_ALLOW_MARKER = re.compile(r"#.*\blockguard:\s*allow-unpinned\b")


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(["#", " ", "x", "==1", "lockguard:", "allow-unpinned", "\t", "a"]), max_size=8).map("".join))
def test_the_allow_marker_finds_what_it_did(line: str) -> None:
    assert bool(requirements.ALLOW_MARKER.search(line)) is bool(OLD_ALLOW_MARKER.search(line))


PIP_COMMENT_RE = re.compile(r"(^|\s+)(#.*)$")


@settings(max_examples=500, deadline=None)
@given(texts("# \tx\\a", max_size=10))
def test_the_comment_pattern_splits_as_pip_s(line: str) -> None:
    def parts(pattern: re.Pattern[str]) -> list[str]:
        return [part.strip() for part in pattern.split(line) if part.strip()]

    assert parts(requirements._COMMENT_RE) == parts(PIP_COMMENT_RE)
    assert bool(requirements._COMMENT_RE.match(line)) is bool(PIP_COMMENT_RE.match(line))


def _pip_strip_extras(path: str) -> tuple[str, str | None]:
    match = re.match(r"^(.+)(\[[^\]]+\])$", path)
    return (match[1], match[2]) if match else (path, None)


@settings(max_examples=500, deadline=None)
@given(texts("a[]. ", max_size=10))
def test_extras_are_split_off_as_pip_does(path: str) -> None:
    assert requirements._strip_extras(_pip_strip_extras, path) == _pip_strip_extras(path)


@settings(max_examples=500, deadline=None)
@given(texts("a- ", max_size=10))
def test_options_are_split_off_as_pip_does(line: str) -> None:
    assert requirements._break_args_options(line) == pip_requirements_parser.break_args_options(line)


def test_the_pip_patterns_are_patched_in() -> None:
    pip = requirements._pip()
    assert pip.COMMENT_RE is requirements._COMMENT_RE
    assert pip._strip_extras("x[a]") == ("x", "[a]")


@pytest.mark.parametrize(
    "run",
    [
        pytest.param(lambda: requirements.ALLOW_MARKER.search("x==1.0 " + "#" * BIG), id="allow-marker-16mib-of-hashes"),
        pytest.param(lambda: requirements._COMMENT_RE.split("x" + " " * BIG + "y"), id="comment-16mib-of-blanks"),
        pytest.param(lambda: requirements._strip_extras(_pip_strip_extras, "x" + "[" * BIG + "]"), id="extras-16mib-of-brackets"),
        pytest.param(lambda: requirements._break_args_options("x" + " " * BIG + "-y"), id="options-16mib-of-blanks"),
    ],
)
def test_requirement_patterns_are_linear(run: Callable[[], object]) -> None:
    assert seconds(run) < BUDGET


# -- conda MatchSpecs and files ----------------------------------------------------------------------

OLD_BRACKET = re.compile(r"\[(.*)\]\s*$")


@settings(max_examples=500, deadline=None)
@given(texts("a[]\n ", max_size=10))
def test_the_bracket_of_a_matchspec_is_what_it_was(rest: str) -> None:
    rest = rest.strip()
    old = OLD_BRACKET.search(rest)
    assert conda._bracket(rest) == (old[1] if old else None)


@settings(max_examples=500, deadline=None)
@given(texts("# @\nx\t", max_size=12))
def test_the_first_line_of_content_is_what_it_was(text: str) -> None:
    old = next((line.strip() for line in text.split("\n") if line.strip() and not line.strip().startswith("#")), "")
    new = conda._FIRST_CONTENT.search(text)
    assert (new[1].strip() if new else "") == old


@pytest.mark.parametrize(
    "spec",
    [
        pytest.param("x" + "[" * 60_000, id="60000-brackets"),
        pytest.param("x" + "[" * BIG, id="16mib-of-brackets"),
        pytest.param("x[" + "]" * BIG, id="16mib-of-closing-brackets"),
        pytest.param("x[version=" + " " * BIG + "]", id="16mib-of-blanks-in-brackets"),
        pytest.param("x" * BIG + "\ny", id="16mib-name-and-a-newline"),
    ],
)
def test_a_matchspec_is_read_in_linear_time(spec: str) -> None:
    assert seconds(lambda: conda.parse_spec(spec, 1)) < BUDGET


# -- the guards of reading.parse_toml, on the largest text they are given ----------------------------

TOML = reading.MAX_TOML_LOCK_CHARACTERS


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("a." * (TOML // 2), id="dotted-run"),
        pytest.param(("," + "a." * 9 + "a") * (TOML // 21), id="keys-one-part-short"),
        pytest.param('"a",' * (TOML // 4), id="quoted-parts"),
        pytest.param("[" * TOML, id="brackets"),
        pytest.param(("0" * 3499 + " ") * (TOML // 3500), id="numbers-one-digit-short"),
    ],
)
def test_the_toml_guards_are_linear(text: str) -> None:
    assert seconds(lambda: (reading._LONG_KEY.search(text), reading._long_number(text))) < BUDGET
