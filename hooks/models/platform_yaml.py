"""YAML as Platform.sh and Upsun read it: their `!include` and `!archive` tags, anchors and merge
keys, line numbers for every key, and no object construction beyond maps, lists and scalars.

ruamel.yaml's round-trip loader keeps each key's position (and, for the fix options, the
comments and quoting). It is pure Python and slow (tens of microseconds a node), so what it is
given is bounded before and while it composes: the text's length, the number of nodes, their
depth, the length of an integer. Aliases are shared, not copied, when loading; a document whose
aliases would expand to more nodes than any real configuration has (a "billion laughs" bomb), or
whose alias sits inside the node it names (an endless structure), is refused before anything
walks it.
"""

from __future__ import annotations

import re
import sys
from typing import Any

from hooks import reading
from hooks.findings import InputError
from hooks.models import plain_yaml

# Real app configurations have a few hundred nodes and a few kB (the largest in the corpus: under
# 400 nodes, 10 kB); a conda environment a few hundred entries. The limits are far above that and
# keep the worst document under half a second of ruamel.yaml's time.
MAX_CHARACTERS = 512 * 1024
MAX_NODES = 5_000  # composed: every key, item and scalar, each alias counted once
MAX_DEPTH = 64
MAX_EXPANDED_NODES = 100_000  # once every alias is expanded
# Python refuses to turn an integer of more than 4,300 digits into text (or text into it); no
# configuration has a number a thousand characters long.
MAX_INTEGER_CHARACTERS = 1_000
_INT = "tag:yaml.org,2002:int"
# ruamel.yaml's scanner keeps, for every `[` or `{` open on the current line, a possible simple
# key, and walks all of them for each token it reads ahead (up to 1,024 characters): a line of
# brackets costs it seconds before the depth limit is reached. A real line opens a few. Brackets
# inside a quoted scalar are text (a conda spec `'numpy[version=…]'`): those scalars are left out
# of the count.
MAX_LINE_OPENINGS = MAX_DEPTH
_MANY_OPENINGS = rf"^(?:[^\n\[{{]*[\[{{]){{{MAX_LINE_OPENINGS + 1}}}"
_QUOTED_SCALAR = r"""((?:^|[\[{,]|[:-][ \t])[ \t]*)(?:"(?:[^"\\\n]|\\.)*"|'(?:[^'\n]|'')*')"""


def _yaml():
    from ruamel.yaml import YAML
    from ruamel.yaml.docinfo import DocInfo, version

    yaml = YAML(typ="rt")
    yaml.Constructor = _quiet_constructor()
    yaml.allow_duplicate_keys = False
    yaml.max_depth = MAX_DEPTH
    # What `YAML.load` sets up before it composes: without it a `%YAML` or `%TAG` directive
    # fails with an IndexError inside ruamel.yaml.
    yaml.doc_infos.append(DocInfo(requested_version=version(yaml.version)))
    yaml.tags = {}
    return yaml


_QUIET_CONSTRUCTOR: list[type] = []


def _quiet_constructor() -> type:
    """ruamel.yaml's round-trip constructor, but for values with a tag it has no constructor for
    (`!include`, a `<<` that is not a key): ruamel.yaml builds them in a generator that, closed
    before its end (the document failed elsewhere), raises its own error, which Python prints as a
    traceback when it frees it. Here such a generator is always run to its end, its error dropped
    when the document's own is the one reported."""
    if _QUIET_CONSTRUCTOR:
        return _QUIET_CONSTRUCTOR[0]
    from ruamel.yaml.constructor import RoundTripConstructor
    from ruamel.yaml.error import YAMLError

    class QuietConstructor(RoundTripConstructor):
        def construct_unknown(self, node: Any) -> Any:
            inner = super().construct_unknown(node)
            try:
                yield next(inner)
            finally:
                try:
                    for _ in inner:
                        pass
                except YAMLError:
                    pass

    QuietConstructor.add_constructor(None, QuietConstructor.construct_unknown)
    _QUIET_CONSTRUCTOR.append(QuietConstructor)
    return QuietConstructor


def _line(node: Any) -> tuple[int, int]:
    mark = getattr(node, "start_mark", None)
    return (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)


def _bound_composition(composer: Any, path: str) -> None:
    """Make `composer` refuse a document with too many nodes, or an integer too long to use,
    as it composes it: the parser never reads past the node that breaks a limit."""
    compose = composer.compose_node
    count = 0

    def compose_node(parent: Any, index: Any) -> Any:
        nonlocal count
        count += 1
        if count > MAX_NODES:
            raise InputError(path, f"has more than {MAX_NODES:,} YAML nodes (keys, list items and values), which no app configuration or conda environment needs", *_line(parent))
        node = compose(parent, index)
        tag = getattr(node.tag, "value", node.tag)
        if tag == _INT and isinstance(node.value, str) and len(node.value) > MAX_INTEGER_CHARACTERS:
            raise InputError(path, f"has an integer {len(node.value):,} characters long, too long to be a number any tool reads", *_line(node))
        return node

    # Sequences and mappings compose their children through `self.compose_node`: the instance
    # attribute is what they call.
    composer.compose_node = compose_node
    # A reused anchor name is valid YAML (the later one wins); the warning would go to stderr.
    composer.warn_double_anchors = False


def _children(node: Any) -> list[Any]:
    value = node.value if isinstance(node.value, list) else ()
    children: list[Any] = []
    for item in value:
        children.extend(item if isinstance(item, tuple) else (item,))
    return children


def _expanded_size(node: Any, path: str) -> int:
    """How many nodes the document has once every alias is expanded, counted without expanding
    (each distinct node's size is computed once). A node reached again while its own children
    are being counted holds an alias to itself: it would expand forever."""
    sizes: dict[int, int] = {}
    open_nodes: set[int] = set()  # whose children are being counted
    stack: list[tuple[Any, bool]] = [(node, False)]
    while stack:
        current, children_done = stack.pop()
        key = id(current)
        if key in sizes:
            continue
        children = _children(current)
        if children_done:
            total = 1 + sum(sizes[id(child)] for child in children)
            if total > MAX_EXPANDED_NODES:
                raise InputError(path, f"expands to more than {MAX_EXPANDED_NODES:,} nodes through its aliases (an alias bomb?), which no app configuration needs")
            sizes[key] = total
            open_nodes.discard(key)
            continue
        if key in open_nodes:
            anchor = getattr(current, "anchor", None)
            name = f"`&{anchor}`" if anchor else "an anchor"
            raise InputError(path, f"{name} holds an alias to itself, a structure that never ends: no tool can load it", *_line(current))
        if not children:
            sizes[key] = 1
            continue
        open_nodes.add(key)
        stack.append((current, True))
        stack.extend((child, False) for child in children if id(child) not in sizes)
    return sizes[id(node)]


def _problem_line(error: Exception) -> tuple[int, int]:
    mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
    return (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)


def parse(path: str, text: str) -> Any:
    """The document in `text`, or `InputError` with the line of the problem. The plain block
    style real files use is read by `plain_yaml`, without loading ruamel.yaml; the rest, and
    every document with a problem to report, by ruamel.yaml."""
    check_text(path, text)
    try:
        return plain_yaml.load(text, MAX_NODES)
    except plain_yaml.Unsupported:
        return _round_trip(path, text)


def check_text(path: str, text: str) -> None:
    """The limits on the text itself, whichever reader reads it: its length, and brackets."""
    if len(text) > MAX_CHARACTERS:
        raise InputError(path, f"has {len(text):,} characters, over lockguard's limit of {MAX_CHARACTERS:,} for an app configuration or conda environment (real ones have a few thousand)")
    unquoted = re.sub(_QUOTED_SCALAR, r"\1", text, flags=re.MULTILINE) if text.count("[") + text.count("{") > MAX_LINE_OPENINGS else ""
    openings = re.search(_MANY_OPENINGS, unquoted, flags=re.MULTILINE)
    if openings:
        raise InputError(
            path, f"has a line that opens more than {MAX_LINE_OPENINGS} `[` and `{{`, flow collections nested deeper than any configuration needs", unquoted.count("\n", 0, openings.start()) + 1
        )


def parse_round_trip(path: str, text: str) -> Any:
    """The document in `text` as ruamel.yaml's round-trip loader gives it, keeping what an edit
    needs (comments, flow style, anchors and merge keys), or `InputError`."""
    check_text(path, text)
    return _round_trip(path, text)


def _round_trip(path: str, text: str) -> Any:
    """`parse_round_trip` of a text whose limits are checked."""
    from ruamel.yaml.composer import MaxDepthExceededError
    from ruamel.yaml.error import YAMLError

    yaml = _yaml()
    try:
        # One pass: compose (bounded), measure what the aliases expand to, then construct from
        # the nodes.
        constructor, _ = yaml.get_constructor_parser(text)
        _bound_composition(constructor.composer, path)
        node = constructor.composer.get_single_node()
        if node is None:
            return None
        _expanded_size(node, path)
        return constructor.construct_document(node)

    except InputError:
        raise
    except MaxDepthExceededError as error:
        raise InputError(path, f"nests values more than {MAX_DEPTH} levels deep, which no app configuration or conda environment needs", *_problem_line(error)) from None
    except YAMLError as error:
        line, col = _problem_line(error)
        reason = " ".join(str(getattr(error, "problem", None) or error).split())
        raise InputError(path, f"is not valid YAML: {reason}", line, col) from None
    except (ValueError, KeyError, IndexError, AssertionError) as error:
        # A value its tag cannot hold (`!!int x`, `!!bool x`, `2024-02-30`, `0x_`) or a `%YAML
        # 1.3` directive: ruamel.yaml raises these bare, without a position.
        raise InputError(path, f"is not valid YAML: a value or directive that cannot be read ({' '.join(str(error).split()) or type(error).__name__})") from None
    except NotImplementedError:
        # ruamel.yaml's round-trip loader gives up on some comments after an empty key.
        raise InputError(path, "cannot be read: a comment after an empty key is laid out in a way the YAML reader does not handle") from None
    except TypeError:
        # A key that is a mapping holding a mapping or list (`? {k: {}}`): Python cannot hash it.
        raise InputError(path, "has a key that is a mapping holding a mapping or list, which no app configuration or conda environment uses") from None
    except RecursionError:
        raise InputError(path, "is not valid YAML: nested too deeply") from None


def read(path: str) -> Any:
    return parse(path, reading.read_text(path))


def is_block(value: Any) -> bool:
    """Is `value` a block scalar (`|` or `>`), whose text starts on the line after its key?"""
    if isinstance(value, plain_yaml.BlockText):
        return True
    scalarstring = sys.modules.get("ruamel.yaml.scalarstring")  # loaded when ruamel.yaml read it
    return scalarstring is not None and isinstance(value, (scalarstring.LiteralScalarString, scalarstring.FoldedScalarString))


def tag_of(value: Any) -> str | None:
    """The custom tag of a value (`!include`, `!archive`), if any."""
    if isinstance(value, (plain_yaml.TaggedMapping, plain_yaml.TaggedScalar)):
        return value.tag
    tag = getattr(value, "tag", None)
    name = getattr(tag, "value", None) if tag is not None else None
    return name if isinstance(name, str) and name.startswith("!") and not name.startswith("!!") else None


def key_line(mapping: Any, key: Any, default: int) -> int:
    """1-based line of `key` in a loaded mapping, or `default`."""
    try:
        return int(mapping.lc.key(key)[0]) + 1
    except (AttributeError, KeyError, TypeError, IndexError):
        return default


def value_line(mapping: Any, key: Any, default: int) -> int:
    try:
        return int(mapping.lc.value(key)[0]) + 1
    except (AttributeError, KeyError, TypeError, IndexError):
        return default


def item_line(sequence: Any, index: int, default: int) -> int:
    try:
        return int(sequence.lc.item(index)[0]) + 1
    except (AttributeError, KeyError, TypeError, IndexError):
        return default
