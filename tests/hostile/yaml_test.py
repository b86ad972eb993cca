"""YAML as a hostile repository writes it: aliases inside the node they name, big documents
without a single alias, directives, tags and numbers ruamel.yaml raises bare errors on. Each is
one `InputError` with an honest reason, quickly; real documents still load."""

from __future__ import annotations

import gc
import sys
import time
import warnings

import pytest

from hooks.findings import InputError
from hooks.models import plain_yaml, platform_yaml


def error_of(text: str) -> InputError:
    start = time.perf_counter()
    with pytest.raises(InputError) as caught:
        platform_yaml.parse("config.yaml", text)
    assert time.perf_counter() - start < 2
    return caught.value


@pytest.mark.parametrize(
    ("text", "line"),
    [
        pytest.param("x: &a [*a]\n", 1, id="sequence"),
        pytest.param("x: &a {k: *a}\n", 1, id="mapping"),
        pytest.param("x: &a {<<: *a}\n", 1, id="merge-key"),
        pytest.param("name: env\ndependencies: &d [numpy=1.0, *d]\n", 2, id="conda-dependencies"),
        pytest.param("a: &a\n  - 1\n  - b: [*a]\n", 1, id="through-a-child"),
        pytest.param("a: &a {x: 1}\nb: &b {<<: *a, y: *b}\n", 2, id="merge-and-self"),
    ],
)
def test_an_alias_inside_the_node_it_names_is_refused(text: str, line: int) -> None:
    error = error_of(text)
    assert "holds an alias to itself" in error.message and error.line == line


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("a: &a [1, 2]\nb: [*a, *a]\n", {"a": [1, 2], "b": [[1, 2], [1, 2]]}, id="shared-sequence"),
        pytest.param("a: &a {x: 1}\nb: {<<: *a, y: 2}\n", {"a": {"x": 1}, "b": {"y": 2, "x": 1}}, id="merge-key"),
        pytest.param("a: &a 1\nb: &a 2\nc: *a\n", {"a": 1, "b": 2, "c": 2}, id="anchor-reused"),
        pytest.param("%YAML 1.2\n---\na: 1\n", {"a": 1}, id="yaml-directive"),
        pytest.param("%TAG !e! tag:example.com,2000:\n---\na: 1\n", {"a": 1}, id="tag-directive"),
        pytest.param("a: " + "9" * 1000 + "\n", {"a": int("9" * 1000)}, id="a-long-integer"),
    ],
)
def test_real_documents_still_load(text: str, expected: object, recwarn: pytest.WarningsRecorder) -> None:
    assert platform_yaml.parse("config.yaml", text) == expected
    assert not [warning for warning in recwarn if "anchor" in str(warning.message)]


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        pytest.param("a: x\n" + "# filler\n" * 70_000, "characters, over lockguard's limit", id="big-without-aliases"),
        pytest.param("a: [" + "1, " * 10_000 + "]\n", "more than 5,000 YAML nodes", id="many-nodes-without-aliases"),
        pytest.param("a:\n" + "".join(f"  k{i}: v\n" for i in range(10_000)), "more than 5,000 YAML nodes", id="many-keys-without-aliases"),
    ],
)
def test_a_big_document_without_aliases_is_not_called_an_alias_bomb(text: str, reason: str) -> None:
    error = error_of(text)
    assert reason in error.message and "alias" not in error.message


def test_an_alias_bomb_is_still_one() -> None:
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(f"{chr(98 + i)}: &{chr(98 + i)} [" + ", ".join([f"*{chr(97 + i)}"] * 9) + "]\n" for i in range(9))
    assert "alias bomb" in error_of(bomb).message


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        pytest.param("a: " + "1" * 5000 + "\n", "an integer 5,000 characters long", id="huge-decimal"),
        pytest.param("a: 0x" + "f" * 5000 + "\n", "an integer 5,002 characters long", id="huge-hexadecimal"),
        pytest.param("a: !!int '" + "1" * 5000 + "'\n", "an integer 5,000 characters long", id="huge-tagged"),
        pytest.param("%YAML 1.1\n---\na: 1" + ":59" * 3000 + "\n", "an integer", id="huge-sexagesimal"),
        pytest.param("a: !!bool maybe\n", "is not valid YAML", id="bool-tag"),
        pytest.param("a: !!int x\n", "is not valid YAML", id="int-tag"),
        pytest.param("a: 2024-02-30\n", "is not valid YAML", id="no-such-day"),
        pytest.param("%YAML 1.3\n---\na: 1\n", "is not valid YAML", id="yaml-1.3"),
        pytest.param("[" * 2000, "more than 64 `[` and `{`", id="deep-flow"),
        pytest.param("a: " + "[" * 60 + "\n" + "  " + "[" * 10 + "\n", "more than 64 levels deep", id="deep-flow-over-lines"),
        pytest.param("a:\n" + "".join(" " * i + "- \n" for i in range(1, 200)), "more than 64 levels deep", id="deep-block"),
        pytest.param("a:\n  :  # c\n    y\n    \n  # d\n", "a comment after an empty key", id="comment-overlap"),
        pytest.param("a: \x01\n", "is not valid YAML", id="control-character"),
        pytest.param("a: 0x_\n", "is not valid YAML", id="hexadecimal-without-digits"),
        pytest.param("a: 1 # " + "{" * 65 + "\n", "more than 64 `[` and `{`", id="brackets-in-a-comment"),
        pytest.param("a: |\n  " + "[" * 65 + "\n", "more than 64 `[` and `{`", id="brackets-in-a-block"),
        pytest.param("? k: {}\n", "a key that is a mapping holding a mapping or list", id="unhashable-key"),
        pytest.param("{{a: [1]}: x}\n", "a key that is a mapping holding a mapping or list", id="unhashable-flow-key"),
    ],
)
def test_values_ruamel_fails_on_are_one_error(text: str, reason: str) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert reason in error_of(text).message


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("- - <<\n  - a\n- {a: 1, a: 2}\n", id="merge-item-then-duplicate"),
        pytest.param('- "d": False\n  "d": x\n- !include x\n', id="duplicate-then-include"),
    ],
)
def test_a_failed_document_leaves_nothing_to_print_when_freed(monkeypatch: pytest.MonkeyPatch, text: str) -> None:
    """ruamel.yaml leaves half-run constructors behind (a tagged value, a `<<` item) when a
    document fails; Python would print their own error as a traceback when it frees them."""
    unraisable: list[object] = []
    monkeypatch.setattr(sys, "unraisablehook", unraisable.append)
    error = error_of(text)
    assert "duplicate key" in error.message
    del error
    gc.collect()
    assert unraisable == []


# plain_yaml reads before ruamel.yaml does: its one pass must stay linear on what a hostile
# repository writes, whether it reads the document or leaves it to ruamel.yaml.
@pytest.mark.parametrize(
    "text",
    [
        pytest.param("a: " + "x" * 500_000 + "\n", id="long-plain-scalar"),
        pytest.param("a: " + "x: " * 150_000 + "\n", id="many-colons"),
        pytest.param("a: x" + " #" * 200_000 + "\n", id="many-comment-marks"),
        pytest.param("a: '" + "''" * 200_000 + "'\n", id="many-single-quote-escapes"),
        pytest.param('a: "' + '\\\\\\"' * 100_000 + '"\n', id="many-backslashes"),
        pytest.param('"' + "\\" * 400_000 + '": x\n', id="backslashes-in-a-key"),
        pytest.param("- " * 200_000 + "x\n", id="dashes"),
        pytest.param("a:\n" + " " * 400_000 + "b: c\n", id="deep-indentation"),
        pytest.param("a: |\n" + "  x\n" * 100_000, id="long-block-scalar"),
        pytest.param("a: [" + "x, " * 100_000 + "x]\n", id="long-flow-sequence"),
        pytest.param("k: v\n" * 100_000, id="many-lines"),
        pytest.param("# c\n" * 100_000 + "a: 1\n", id="many-comments"),
        pytest.param("".join(" " * i + f"k{i}:\n" for i in range(0, 900, 1)), id="staircase"),
    ],
)
def test_the_plain_reader_is_linear_on_hostile_text(text: str) -> None:
    start = time.perf_counter()
    try:
        plain_yaml.load(text, platform_yaml.MAX_NODES)
    except plain_yaml.Unsupported:
        pass
    assert time.perf_counter() - start < 2  # tenths of a second when linear, hours when not
