"""YAML as Platform.sh and Upsun read it: their `!include` and `!archive` tags, anchors and merge
keys, line numbers for every key, and no object construction beyond maps, lists and scalars.

ruamel.yaml's round-trip loader keeps each key's position (and, for the fix options, the
comments and quoting). Aliases are shared, not copied, when loading; a document whose aliases
would expand to more nodes than any real configuration has (a "billion laughs" bomb) is refused
before anything walks it.
"""
from __future__ import annotations

from typing import Any

from hooks import reading
from hooks.findings import InputError

# Real app configurations have a few hundred nodes; the largest in the corpus has under 400.
MAX_EXPANDED_NODES = 100_000


def _yaml():  # type: ignore[no-untyped-def]
    from ruamel.yaml import YAML

    yaml = YAML(typ="rt")
    yaml.allow_duplicate_keys = False
    return yaml


def _expanded_size(node: Any, path: str) -> int:
    """How many nodes the document has once every alias is expanded, counted without expanding
    (each distinct node's size is computed once)."""
    sizes: dict[int, int] = {}
    stack: list[tuple[Any, bool]] = [(node, False)]
    while stack:
        current, children_done = stack.pop()
        key = id(current)
        if key in sizes:
            continue
        value = current.value if isinstance(current.value, list) else None
        children: list[Any] = []
        for item in value or ():
            children.extend(item if isinstance(item, tuple) else (item,))
        if children_done or not children:
            total = 1 + sum(sizes.get(id(child), 0) for child in children)
            if total > MAX_EXPANDED_NODES:
                raise InputError(path, f"expands to more than {MAX_EXPANDED_NODES:,} nodes through its aliases (an alias bomb?), which no app configuration needs")
            sizes[key] = total
            continue
        stack.append((current, True))
        stack.extend((child, False) for child in children if id(child) not in sizes)
    return sizes[id(node)]


def _problem_line(error: Exception) -> tuple[int, int]:
    mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
    return (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)


def parse(path: str, text: str) -> Any:
    """The document in `text`, or `InputError` with the line of the problem."""
    from ruamel.yaml.error import YAMLError

    yaml = _yaml()
    try:
        # One pass: compose, measure what the aliases expand to, then construct from the nodes.
        constructor, _ = yaml.get_constructor_parser(text)
        node = constructor.composer.get_single_node()
        if node is None:
            return None
        _expanded_size(node, path)
        return constructor.construct_document(node)

    except InputError:
        raise
    except YAMLError as error:
        line, col = _problem_line(error)
        reason = " ".join(str(getattr(error, "problem", None) or error).split())
        raise InputError(path, f"is not valid YAML: {reason}", line, col) from None
    except RecursionError:
        raise InputError(path, "is not valid YAML: nested too deeply") from None


def read(path: str) -> Any:
    return parse(path, reading.read_text(path))


def tag_of(value: Any) -> str | None:
    """The custom tag of a value (`!include`, `!archive`), if any."""
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
