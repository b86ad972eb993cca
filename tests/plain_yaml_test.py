"""What `hooks.models.plain_yaml` reads, it reads exactly as ruamel.yaml's round-trip loader does:
the same values of the same kinds, each key, value and item at the same line and column. What it
cannot read that way it leaves to ruamel.yaml (`Unsupported`), and it never accepts a document
ruamel.yaml refuses. Held on tables, on every real and example file, and on generated documents."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest

from hooks.findings import InputError
from hooks.models import plain_yaml, platform_yaml

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus"


def kind(value: Any) -> str:
    tag = platform_yaml.tag_of(value)
    if tag and not isinstance(value, dict):
        return f"scalar tagged {tag}"
    if tag:
        return f"map tagged {tag}"
    for name, types in (("bool", bool), ("int", int), ("float", float), ("map", dict), ("seq", list)):
        if isinstance(value, types):
            return name
    if isinstance(value, str):
        if not platform_yaml.is_block(value):
            return "str"
        return "literal" if "Literal" in type(value).__name__ else "folded"
    return "null" if value is None else type(value).__name__


def differences(fast: Any, slow: Any, where: str = "$") -> list[str]:
    """Where `fast` (plain_yaml's) and `slow` (ruamel.yaml's) differ: kinds, values, positions."""
    if kind(fast) != kind(slow):
        return [f"{where}: {kind(fast)} {fast!r} vs {kind(slow)} {slow!r}"]
    if isinstance(slow, dict):
        if [(kind(k), k) for k in fast] != [(kind(k), k) for k in slow]:
            return [f"{where}: keys {list(fast)!r} vs {list(slow)!r}"]
        found = []
        for key in slow:
            for part in ("key", "value"):
                here, there = getattr(fast.lc, part)(key), tuple(getattr(slow.lc, part)(key))
                if here != there:
                    found.append(f"{where}.{key}: {part} at {here} vs {there}")
            found += differences(fast[key], slow[key], f"{where}.{key}")
        return found
    if isinstance(slow, list):
        if len(fast) != len(slow):
            return [f"{where}: {len(fast)} items vs {len(slow)}"]
        found = []
        for index, item in enumerate(slow):
            if fast.lc.item(index) != tuple(slow.lc.item(index)):
                found.append(f"{where}[{index}]: at {fast.lc.item(index)} vs {tuple(slow.lc.item(index))}")
            found += differences(fast[index], item, f"{where}[{index}]")
        return found
    if kind(slow).startswith("scalar tagged"):
        fast, slow = (str(fast), repr(fast)), (str(slow), repr(slow))
    return [] if fast == slow else [f"{where}: {fast!r} vs {slow!r}"]


def load(text: str) -> Any:
    """plain_yaml's reading, as `platform_yaml.parse` asks for it (the text's limits checked first)."""
    platform_yaml.check_text("config.yaml", text)
    return plain_yaml.load(text, platform_yaml.MAX_NODES)


def compared(text: str) -> str:
    """ "read" (plain_yaml read it as ruamel.yaml does), "left" (left to ruamel.yaml) or "refused"
    (by the limits on the text, before either reads it); fails the test on any difference."""
    try:
        slow: Any = platform_yaml.parse_round_trip("config.yaml", text)
    except InputError as error:
        slow = error
    try:
        fast = load(text)
    except plain_yaml.Unsupported:
        return "left"
    except InputError as error:
        assert isinstance(slow, InputError) and slow.message == error.message
        return "refused"
    assert not isinstance(slow, InputError), f"plain_yaml accepted what ruamel.yaml refuses ({slow}): {text!r}"
    assert differences(fast, slow) == [], text
    # And it counts nodes as ruamel.yaml's composer does, for platform_yaml's limit.
    if slow is not None:  # an empty document has none
        plain_yaml.load(text, nodes(slow))
        with pytest.raises(plain_yaml.Unsupported):
            plain_yaml.load(text, nodes(slow) - 1)
    return "read"


def nodes(value: Any) -> int:
    """The nodes ruamel.yaml's composer meets in a document without aliases: this one, and each
    key, value and item below it."""
    if isinstance(value, dict):
        return 1 + sum(1 + nodes(item) for item in value.values())
    if isinstance(value, list):
        return 1 + sum(nodes(item) for item in value)
    return 1


# -- tables -----------------------------------------------------------------------------------------

READ = [
    pytest.param("name: app\ntype: 'python:3.12'\ndisk: 512\n", {"name": "app", "type": "python:3.12", "disk": 512}, id="scalars"),
    pytest.param(
        "a: 1\nb: -7\nc: 3.10\nd: 0\ne: 22.3.1\nf: 2m\ng: 365d\nh: .hidden\n", {"a": 1, "b": -7, "c": 3.1, "d": 0, "e": "22.3.1", "f": "2m", "g": "365d", "h": ".hidden"}, id="numbers-and-versions"
    ),
    pytest.param("a: true\nb: False\nc: yes\nd: ~\ne:\nf: null\ng: Null\n", {"a": True, "b": False, "c": "yes", "d": None, "e": None, "f": None, "g": None}, id="booleans-and-nulls"),
    pytest.param("a: 'it''s'\nb: \"q\\\"x\\\\y\\/\"\nc: '#x'\nd: a#b\ne: x # note\n", {"a": "it's", "b": 'q"x\\y/', "c": "#x", "d": "a#b", "e": "x"}, id="quoting-and-comments"),
    pytest.param(
        "hooks:\n  build: |\n    set -eu\n\n    pip install -r requirements.txt\n  deploy: |-\n    migrate\n",
        {"hooks": {"build": "set -eu\n\npip install -r requirements.txt\n", "deploy": "migrate"}},
        id="literal-blocks",
    ),
    pytest.param("a: >\n  one\n  two\n\n  three\nb: >-\n  x\n", {"a": "one two\nthree\n", "b": "x"}, id="folded-blocks"),
    pytest.param("a: |\n  last line without a break", {"a": "last line without a break"}, id="block-at-the-end-of-the-text"),
    pytest.param("a: |\nb: 1\n", {"a": "", "b": 1}, id="empty-block"),
    pytest.param('k:\n- a\n-\n- b: 1\n  c: [x, "y", 2]\n- {}\n', {"k": ["a", None, {"b": 1, "c": ["x", "y", 2]}, {}]}, id="sequences"),
    pytest.param("- name: app\n  type: python:3.11\n- name: api\n", [{"name": "app", "type": "python:3.11"}, {"name": "api"}], id="applications-list"),
    pytest.param("---\n# c\nx:\n    - pip:\n        - -e .\n", {"x": [{"pip": ["-e ."]}]}, id="marker-and-conda-pip"),
    pytest.param("# only a comment\n", None, id="empty-document"),
    pytest.param("a: x: y\n".replace("a: x: y", "a: http://h:80/p"), {"a": "http://h:80/p"}, id="colon-inside-a-plain-scalar"),
]


@pytest.mark.parametrize(("text", "expected"), READ)
def test_plain_block_documents_are_read_as_ruamel_yaml_reads_them(text: str, expected: Any) -> None:
    assert load(text) == expected
    assert compared(text) == "read"


# Structures, each read and compared key by key with ruamel.yaml.
STRUCTURES = [
    pytest.param("- !include pip.app.yaml\n# - !include pipenv.app.yaml\n- !include 'q.yaml'  # c\n", id="include-tags"),
    pytest.param('hooks:\n  build: !include\n    type: string\n    path: build.sh\n  deploy: !include 1\nmounts:\n  solr: !archive "solr"\n', id="tagged-mapping-and-scalars"),
    pytest.param("- name: app\n  hooks:\n    build: |\n      set -eu\n      pip install -r r.txt\n  deps:\n  - a\n  - b\n- name: b\n", id="blocks-in-a-compact-mapping"),
    pytest.param("apps:\n  - name: x\n    web:\n      commands:\n        start: gunicorn\n    mounts: {}\n  -   name: y\n      disk: 512\n", id="items-indented-their-own-way"),
    pytest.param("a:\n  - |\n    text\n  - >-\n    folded\n    more\n  -\n    k: v\n  - [1, 2]\n", id="every-kind-of-item"),
    pytest.param("a:    # c\n  b: 1\nc:\n\n# x\n  d: 2\n", id="comments-between-a-key-and-its-block"),
    pytest.param('a: "x" # c\nb: \'y\'   \n"c d": 1\n\'e\': ["f"]  # c\n', id="quoted-keys-and-values"),
    pytest.param("k:\n  - a: # c\n    b: 2\n", id="missing-value-before-a-comment-in-an-item"),
    pytest.param("- a: # c\n  b: 2\n- # d\n- x\n", id="missing-items"),
    pytest.param("x: |-\n\n  a\n\n  b\n\n\ny: 1\n", id="literal-with-blank-lines"),
    pytest.param("x: >\n\n  a\n  b\n\n\n  c\n", id="folded-with-blank-lines"),
    pytest.param("a: [\"x, y\", 'z]']\nb: \"\"\nc: ''\n", id="flow-items-holding-commas"),
]


@pytest.mark.parametrize("text", STRUCTURES)
def test_structures_are_read_as_ruamel_yaml_reads_them(text: str) -> None:
    assert compared(text) == "read"


LEFT = [
    pytest.param("a: &x 1\nb: *x\n", id="anchor-and-alias"),
    pytest.param("a: {x: 1}\nb:\n  <<: {y: 2}\n", id="merge-key-and-flow-mapping"),
    pytest.param("- !include\n  - x\n", id="include-tag-on-a-sequence"),
    pytest.param("a: !include\nb: 1\n", id="include-tag-on-nothing"),
    pytest.param("a: !env x\n", id="a-tag-of-nobody"),
    pytest.param("a: !!str 1\n", id="core-tag"),
    pytest.param("a: one\n  two\n", id="plain-over-two-lines"),
    pytest.param("a: 'one\n  two'\n", id="quoted-over-two-lines"),
    pytest.param('a: "x\\ty"\n', id="escape-other-than-quote-and-backslash"),
    pytest.param("a:\n\t- x\n", id="tab"),
    pytest.param("a: 1\r\nb: 2\r\n", id="carriage-returns"),
    pytest.param("\ufeffa: 1\n", id="byte-order-mark"),
    pytest.param("%YAML 1.2\n---\na: 1\n", id="directive"),
    pytest.param("a: 1\n---\nb: 2\n", id="second-document"),
    pytest.param("a: 1\n...\n", id="document-end"),
    pytest.param("a: |+\n  x\n\n", id="keep-chomping"),
    pytest.param("a: |2\n    x\n", id="explicit-indentation"),
    pytest.param("a: >\n  x\n    more\n  y\n", id="folded-around-a-more-indented-line"),
    pytest.param("a: 2024-01-01\n", id="date"),
    pytest.param("a: 0x1F\nb: 010\n", id="hex-and-octal"),
    pytest.param("a: 1e3\n", id="exponent"),
    pytest.param("a: .inf\n", id="infinity"),
    pytest.param("a: 1_000\n", id="underscores"),
    pytest.param("a: -_1\nb: [+_1]\n-_2: c\n", id="sign-then-underscore"),
    pytest.param("a: 1\na: 2\n", id="duplicate-key"),
    pytest.param("? a\n: 1\n", id="complex-key"),
    pytest.param("a: b: c\n", id="key-where-a-value-belongs"),
    pytest.param("a: [x, ]\n", id="trailing-comma"),
    pytest.param("a: [x,\n  y]\n", id="flow-over-two-lines"),
    pytest.param("a: [[x]]\n", id="nested-flow"),
    pytest.param("- - x\n", id="sequence-in-an-item"),
    pytest.param("just text\n", id="scalar-document"),
    pytest.param("a: 1\n - b\n", id="item-under-a-scalar"),
    pytest.param("a:\n" + "".join("  " * depth + f"k{depth}:\n" for depth in range(1, 60)), id="deeper-than-the-limit"),
]


@pytest.mark.parametrize("text", LEFT)
def test_what_it_cannot_read_exactly_is_left_to_ruamel_yaml(text: str) -> None:
    with pytest.raises(plain_yaml.Unsupported):
        load(text)
    compared(text)  # and platform_yaml.parse still answers, through ruamel.yaml


@pytest.mark.parametrize(("items", "read"), [(platform_yaml.MAX_NODES - 1, True), (platform_yaml.MAX_NODES, False)])
def test_the_node_limit_is_the_same_whichever_reader_reads(items: int, read: bool) -> None:
    text = "- x\n" * items  # the sequence and its items
    if read:
        assert len(platform_yaml.parse("config.yaml", text)) == items
        assert compared(text) == "read"
    else:
        with pytest.raises(InputError, match="more than 5,000 YAML nodes"):
            platform_yaml.parse("config.yaml", text)
        assert compared(text) == "left"


def test_a_document_with_a_problem_is_reported_by_ruamel_yaml() -> None:
    with pytest.raises(InputError, match=r"is not valid YAML.*duplicate key"):
        platform_yaml.parse("config.yaml", "a: 1\na: 2\n")


# -- real and example files -------------------------------------------------------------------------

YAML_NAMES = ("*.yaml", "*.yml")


def _files(root: Path) -> list[Path]:
    return sorted(path for name in YAML_NAMES for path in root.rglob(name) if ".git" not in path.parts)


def test_every_example_file_is_read_as_ruamel_yaml_reads_it() -> None:
    files = [path for path in _files(ROOT / "examples") if path.name != ".pre-commit-config.yaml"]
    verdicts = [compared(path.read_text(encoding="utf-8")) for path in files]
    assert len(files) > 30 and verdicts.count("read") == len(files)


@pytest.mark.skipif(not CORPUS.is_dir(), reason="the shared corpus (../shared/corpus) is not beside this checkout")
def test_real_app_configurations_are_read_as_ruamel_yaml_reads_them() -> None:
    files = _files(CORPUS / "platform") + _files(CORPUS / "platform-2")
    verdicts = {path: compared(path.read_text(encoding="utf-8", errors="replace")) for path in files}
    read = sum(verdict == "read" for verdict in verdicts.values())
    # What is left is what must be: flow mappings, invalid files.
    assert len(files) > 120 and read / len(files) > 0.97, (read, len(files))


# -- generated documents ----------------------------------------------------------------------------

# Scalars as real files write them, and scalars at the edges of what plain_yaml reads.
COMMON_SCALARS = [
    "x",
    "some words",
    "1",
    "-1",
    "0",
    "3.10",
    "22.3.1",
    "2m",
    "365d",
    "true",
    "False",
    "yes",
    "null",
    "~",
    "-e .",
    "a#b",
    "http://x:80/",
    "'q'",
    "'it''s'",
    '"q"',
    '"a\\"b"',
    "[a, b]",
    "[]",
    "[ 'a' , \"b\" ]",
    "{}",
    "x  # c",
    "é",
    "${VAR}",
    "numpy=1.26.4=py312_0",
    "python>=3.9,<3.12",
]
EDGE_SCALARS = [
    "-0",
    "!include x",
    "!include",
    "!archive 'y'",
    "!include x: y",
    "010",
    "1.",
    "1e3",
    "0x1F",
    "0o7",
    "1_0",
    "2024-01-01",
    ".5",
    ".inf",
    "-.inf",
    ".nan",
    "+1",
    "a: b",
    "a #b",
    "a:",
    '"a\\n"',
    "'a",
    "&a x",
    "*a",
    "!x y",
    "@x",
    "`x`",
    "%x",
    "? x",
    ": x",
    "-",
    "- x",
    "-x",
    "[a,]",
    "{a: 1}",
    "<<",
    "=",
    "|",
    ">",
    "x#",
    "*.whl",
    "'a' b",
]
COMMON_KEYS = ["name", "type", "a b", "'q'", '"d"', "1", "web/uploads", ".cache", "3.10", "null"]
EDGE_KEYS = ["true", "a:b", "-x", "x#y", "<<", "? k", "[k]", "&a k", "'q' x"]


def _scalar(rng: random.Random) -> str:
    return rng.choice(EDGE_SCALARS if rng.random() < 0.15 else COMMON_SCALARS)


def _key(rng: random.Random) -> str:
    return rng.choice(EDGE_KEYS if rng.random() < 0.1 else COMMON_KEYS)


def _document(rng: random.Random) -> str:
    lines: list[str] = []

    def noise(indent: int) -> None:
        choice = rng.random()
        if choice < 0.1:
            lines.append("")
        elif choice < 0.15:
            lines.append(" " * rng.choice((0, indent, indent + 2)) + "# comment")

    def block_scalar(indent: int) -> None:
        width = indent + rng.choice((1, 2, 4))
        for _ in range(rng.randint(0, 4)):
            roll = rng.random()
            lines.append("" if roll < 0.2 else " " * (width + (2 if roll > 0.9 else 0)) + rng.choice(("set -eu", "pip install x", "# in text", "a: b")))

    def node(indent: int, depth: int, head: str) -> None:
        """Lines for a value after `head` (a key and colon, or a dash)."""
        roll = rng.random()
        if depth > 3 or roll < 0.45:
            lines.append(f"{head} {_scalar(rng)}".rstrip() + rng.choice(("", "", " # note")))
        elif roll < 0.55:
            lines.append(f"{head} {rng.choice(('|', '|-', '>', '>-', '|+', '|2'))}")
            block_scalar(indent)
        elif roll < 0.6:
            lines.append(head)
        else:
            lines.append(head)
            step = rng.choice((1, 2, 2, 4))
            inner = indent + (0 if head.endswith(":") and rng.random() < 0.2 else step)
            collection(inner, depth + 1, sequence=rng.random() < 0.4 or inner == indent)

    def collection(indent: int, depth: int, *, sequence: bool) -> None:
        for _ in range(rng.randint(1, 3)):
            noise(indent)
            if sequence:
                if rng.random() < 0.3:
                    lines.append(" " * indent + f"- {_key(rng)}: {_scalar(rng)}")
                    lines.append(" " * (indent + 2) + f"{_key(rng)}: {_scalar(rng)}")
                else:
                    node(indent, depth, " " * indent + "-")
            else:
                node(indent, depth, " " * indent + f"{_key(rng)}:")

    if rng.random() < 0.1:
        lines.append("---")
    collection(0, 0, sequence=rng.random() < 0.2)
    return "\n".join(lines) + rng.choice(("\n", "\n", "", "\n\n"))


def _mutated(text: str, rng: random.Random) -> str:
    at = rng.randrange(len(text) + 1)
    roll = rng.random()
    if roll < 0.4:
        return text[:at] + rng.choice(" :#-'\"|>[]{},&*!\n  ") + text[at:]
    if roll < 0.7:
        return text[:at] + text[at + 1 :]
    lines = text.split("\n")
    index = rng.randrange(len(lines))
    lines[index] = lines[index][1:] if lines[index].startswith(" ") and rng.random() < 0.5 else " " + lines[index]
    return "\n".join(lines)


def test_generated_documents_are_read_as_ruamel_yaml_reads_them_or_left_to_it() -> None:
    rng = random.Random(751)
    verdicts = {"read": 0, "left": 0, "refused": 0}
    for _ in range(3_000):
        text = _document(rng)
        verdicts[compared(text)] += 1
        verdicts[compared(_mutated(text, rng))] += 1
    # Both sides are exercised: thousands read and compared, thousands left to ruamel.yaml.
    assert verdicts["read"] > 1_000 and verdicts["left"] > 1_000, verdicts


def test_real_files_mutated_are_read_as_ruamel_yaml_reads_them_or_left_to_it() -> None:
    rng = random.Random(1_2)
    texts = [path.read_text(encoding="utf-8") for path in _files(ROOT / "examples") if path.name != ".pre-commit-config.yaml"]
    verdicts = {"read": 0, "left": 0, "refused": 0}
    for _ in range(2_000):
        text = rng.choice(texts)
        for _ in range(rng.randint(1, 3)):
            text = _mutated(text, rng)
        verdicts[compared(text)] += 1
    assert verdicts["read"] > 500 and verdicts["left"] > 200, verdicts
