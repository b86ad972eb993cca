"""YAML as app configurations and conda environments are written, read in one pass without
ruamel.yaml, whose import alone costs a hook more than half the interpreter's start-up.

The reader takes the block style these files use: mappings and sequences by indentation, plain
and quoted scalars on one line, literal and folded block scalars, one-line flow sequences of
scalars and `{}`. It gives back what ruamel.yaml's round-trip loader would: the same values (a
block scalar as `LiteralText` or `FoldedText`) and, in each mapping's or sequence's `lc`, the
same 0-based line and column of every key, value and item. Anything else — anchors, aliases and
merge keys, tags (`!include`), flow mappings, a scalar over several lines, tabs, directives, a
value it cannot tell how YAML 1.2 resolves, anything invalid — raises `Unsupported`, and the
caller loads the document with ruamel.yaml, whose verdicts and error messages stay the ones
users see. tests/plain_yaml_test.py holds the two readers equal, on real files and generated
ones.

Each line is looked at a fixed number of times; nesting is limited to `MAX_DEPTH`.
"""

from __future__ import annotations

import re
from typing import Any

# Below platform_yaml's limit, so that a document near it goes to ruamel.yaml, which says so (its
# depth counts more levels than these).
MAX_DEPTH = 48
MAX_KEY_CHARACTERS = 1_000  # YAML's implicit keys end at 1,024


class Unsupported(Exception):
    """The document uses what this reader leaves to ruamel.yaml."""


class BlockText(str):
    """A block scalar's text (`|` or `>`)."""

    __slots__ = ()


class LiteralText(BlockText):
    __slots__ = ()


class FoldedText(BlockText):
    __slots__ = ()


Position = tuple[int, int]  # 0-based line and column, as ruamel.yaml's marks


class Positions:
    """Where each key, value and item starts: ruamel.yaml's `lc` for the methods lockguard uses."""

    __slots__ = ("line", "col", "_keys", "_values", "_items")

    def __init__(self, start: Position) -> None:
        self.line, self.col = start
        self._keys: dict[Any, Position] = {}
        self._values: dict[Any, Position] = {}
        self._items: list[Position] = []

    def key(self, key: Any) -> Position:
        return self._keys[key]

    def value(self, key: Any) -> Position:
        return self._values[key]

    def item(self, index: int) -> Position:
        return self._items[index]


class Mapping(dict[Any, Any]):
    __slots__ = ("lc",)
    lc: Positions


# The tags Platform.sh and Upsun give a meaning (`!include`, `!archive`): what ruamel.yaml keeps as
# a tagged mapping or a `TaggedScalar` (not a string: its text is `str()` of it).
TAGS = ("!include", "!archive")


class TaggedMapping(Mapping):
    __slots__ = ("tag",)
    tag: str


class TaggedScalar:
    __slots__ = ("value", "tag", "style")

    def __init__(self, value: str, tag: str, style: str | None) -> None:
        self.value, self.tag, self.style = value, tag, style

    def __str__(self) -> str:
        return self.value

    def __repr__(self) -> str:  # as ruamel.yaml's, should a message quote one
        return f"TaggedScalar(value={self.value!r}, style={self.style!r}, tag=Tag({self.tag!r}))"


class Sequence(list[Any]):
    __slots__ = ("lc",)
    lc: Positions


# Characters ruamel.yaml reads otherwise or refuses: tabs, carriage returns and other line breaks,
# control characters, byte-order marks, surrogates. ASCII text, the common case, is searched with
# the smaller class, which compiles in a fraction of the time.
_UNREADABLE_ASCII = r"[\x00-\x09\x0b-\x1f\x7f]"
_UNREADABLE = r"[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufeff\ufffe\uffff]"
_NULLS = frozenset(("", "~", "null", "Null", "NULL"))
_BOOLEANS = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
# Plain scalars beginning like a number: the forms read here, and every other that YAML 1.2 (as
# ruamel.yaml resolves it) might take for a number or a date. A version `22.3.1` is text: no
# number has two dots.
_NUMBER_FORMS = r"(?P<int>-?(?:0|[1-9][0-9]{0,17}))|(?P<float>-?(?:0|[1-9][0-9]{0,17})\.[0-9]{1,17})|(?P<version>[0-9]{1,20}(?:\.[0-9]{1,20}){2,20})|(?P<maybe>[-+]?(?:0x[0-9a-fA-F_]*|0b[01_]*|0o[0-7_]*|[._0-9][-+.0-9_:eEtTzZ ]*)|[-+]?\.(?:inf|Inf|INF|nan|NaN|NAN))"
# What may begin a plain scalar in block context (not an indicator, nor `-`, `?`, `:` before a
# blank): anything else is left to ruamel.yaml.
_INDICATORS = frozenset("-?:,[]{}#&*!|>'\"%@`")
_patterns: dict[str, re.Pattern[str]] = {}


def _pattern(source: str) -> re.Pattern[str]:
    compiled = _patterns.get(source)
    if compiled is None:
        compiled = _patterns[source] = re.compile(source, re.MULTILINE)
    return compiled


def load(text: str, max_nodes: int) -> Any:
    """The document in `text` as ruamel.yaml's round-trip loader reads it, or `Unsupported`; also
    when it has more than `max_nodes` nodes, counted as ruamel.yaml's composer meets them (each
    key, value and item, and the document). The caller bounds the text's length."""
    if _pattern(_UNREADABLE_ASCII if text.isascii() else _UNREADABLE).search(text):
        raise Unsupported
    return _Reader(text, max_nodes).document()


def _is_directive_or_marker(line: str) -> bool:
    return line.startswith("%") or line.startswith(("---", "...")) and (len(line) == 3 or line[3] == " ")


def _is_marker(line: str) -> bool:
    """Is `line` a document start `---`, alone but for a comment?"""
    return line.startswith("---") and _without_comment(line) == "---"


def _without_comment(line: str) -> str:
    """`line` up to a ` #` comment, blanks stripped (for lines holding no quoted text)."""
    cut = line.find(" #")
    return (line if cut < 0 else line[:cut]).strip(" ")


def _resolve(text: str) -> Any:
    """A plain scalar's value under YAML 1.2's core schema as ruamel.yaml reads it."""
    if text in _NULLS:
        return None
    if text in _BOOLEANS:
        return _BOOLEANS[text]
    if text[0] in "-+.0123456789":
        number = _pattern(_NUMBER_FORMS).fullmatch(text)
        if number is None:
            return text
        if number.lastgroup == "int":
            return int(text)
        if number.lastgroup == "float":
            return float(text)
        if number.lastgroup == "version":
            return text
        raise Unsupported
    if text in ("<<", "="):
        raise Unsupported
    return text


class _Reader:
    def __init__(self, text: str, max_nodes: int) -> None:
        self.max_nodes = max_nodes
        self.lines = text.split("\n")
        count = len(self.lines)
        self.indent = [len(line) - len(line.lstrip(" ")) for line in self.lines]
        # The next line at or after each index holding more than blanks and a comment.
        self.next_content = [count] * (count + 1)
        for index in range(count - 1, -1, -1):
            line = self.lines[index]
            content = self.indent[index] < len(line) and line[self.indent[index]] != "#"
            self.next_content[index] = index if content else self.next_content[index + 1]
        self.end: Position = (count - 1, len(self.lines[-1]))
        # Directives (`%YAML`) and document markers (`---`, `...`): only a leading `---` is read.
        self.markers = [index for index, line in enumerate(self.lines) if line[:1] in ("%", "-", ".") and _is_directive_or_marker(line)]
        self.nodes = 0
        self.depth = 0

    def _count(self) -> None:
        self.nodes += 1
        if self.nodes > self.max_nodes:
            raise Unsupported

    def _nested(self, parse: Any, *arguments: Any) -> tuple[Any, Position, int]:
        """A mapping or sequence: counted as a node, its depth bounded."""
        self._count()
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise Unsupported
        result: tuple[Any, Position, int] = parse(*arguments)
        self.depth -= 1
        return result

    def _position_after(self, index: int) -> Position:
        """Where an empty value ends: the start of the next token, as ruamel.yaml marks it."""
        following = self.next_content[index + 1]
        return (following, self.indent[following]) if following < len(self.lines) else self.end

    def document(self) -> Any:
        first = self.next_content[0]
        if first < len(self.lines) and _is_marker(self.lines[first]):
            self.markers.remove(first)
            first = self.next_content[first + 1]
        if self.markers:
            raise Unsupported
        if first == len(self.lines):
            return None
        node, _, after = self._block(first)
        if after < len(self.lines):
            raise Unsupported
        return node

    # -- blocks ---------------------------------------------------------------------------------

    def _is_item(self, index: int, column: int) -> bool:
        line = self.lines[index]
        return line.startswith("-", column) and (len(line) == column + 1 or line[column + 1] == " ")

    def _block(self, index: int) -> tuple[Any, Position, int]:
        """The mapping or sequence whose first line is `index`; its start and the next content line."""
        column = self.indent[index]
        if self._is_item(index, column):
            return self._nested(self._sequence, index, column)
        return self._nested(self._mapping, index, column, column)

    def _mapping(self, index: int, indent: int, column: int) -> tuple[Mapping, Position, int]:
        """The mapping at `indent` whose first key starts at `column` of line `index` (further in
        than `indent` only for a mapping opening a sequence item)."""
        mapping = Mapping()
        start = (index, column)
        mapping.lc = positions = Positions(start)
        while True:
            key, key_end = self._key(index, column)
            if key in mapping or isinstance(key, (Mapping, Sequence)):
                raise Unsupported  # ruamel.yaml refuses the duplicate
            self._count()
            value, at, after = self._value(index, key_end, indent, in_mapping=True)
            mapping[key] = value
            positions._keys[key] = (index, column)
            positions._values[key] = at
            if after == len(self.lines) or self.indent[after] < indent:
                return mapping, start, after
            if self.indent[after] > indent or self._is_item(after, indent):
                raise Unsupported
            index, column = after, indent

    def _sequence(self, index: int, indent: int) -> tuple[Sequence, Position, int]:
        sequence = Sequence()
        sequence.lc = positions = Positions((index, indent))
        start = (index, indent)
        while True:
            line = self.lines[index]
            column = indent + 1
            while column < len(line) and line[column] == " ":
                column += 1
            if column == len(line) or line[column] == "#":
                value, at, after = self._empty(index, indent, in_mapping=False, start=(index, indent + 1))
            elif self._is_item(index, column):
                raise Unsupported  # a sequence opening a sequence item
            elif self._key_end(index, column) is not None:
                value, at, after = self._nested(self._mapping, index, column, column)
            else:
                value, at, after = self._inline(index, column, indent, in_mapping=False)
            sequence.append(value)
            positions._items.append(at)
            if after == len(self.lines) or self.indent[after] < indent:
                return sequence, start, after
            if self.indent[after] > indent:
                raise Unsupported
            if not self._is_item(after, indent):
                return sequence, start, after  # the next key of the mapping holding this sequence
            index = after

    # -- keys and values ------------------------------------------------------------------------

    def _key_end(self, index: int, column: int) -> int | None:
        """Where the value starts, just after the `:` ending a key that begins at `column`; None
        when the text there is not a key."""
        line = self.lines[index]
        if line.startswith(('"', "'"), column):
            colon = _quoted_end(line, column)
            while colon < len(line) and line[colon] == " ":
                colon += 1
            if not line.startswith(":", colon):
                return None
        else:
            if line[column] in _INDICATORS:
                return None
            comment = line.find(" #", column)
            limit = len(line) if comment < 0 else comment
            colon = line.find(": ", column, limit)
            if colon < 0:
                text = line[column:limit].rstrip(" ")
                if not text.endswith(":"):
                    return None
                colon = column + len(text) - 1
        if colon + 1 < len(line) and line[colon + 1] != " ":
            return None
        return colon + 1

    def _key(self, index: int, column: int) -> tuple[Any, int]:
        line = self.lines[index]
        value_start = self._key_end(index, column)
        if value_start is None:
            raise Unsupported  # a scalar where a key belongs: more than one line, or invalid
        if value_start - column > MAX_KEY_CHARACTERS:
            raise Unsupported
        if line.startswith(('"', "'"), column):
            return _quoted(line, column), value_start
        text = line[column : value_start - 1].rstrip(" ")
        if text.endswith(":"):
            raise Unsupported
        return _resolve(text), value_start

    def _value(self, index: int, column: int, indent: int, *, in_mapping: bool) -> tuple[Any, Position, int]:
        """The value of a key whose `:` ends just before `column`."""
        line = self.lines[index]
        after_colon = column
        while column < len(line) and line[column] == " ":
            column += 1
        if column < len(line) and line[column] != "#":
            return self._inline(index, column, indent, in_mapping=in_mapping)
        start = None
        following = self.next_content[index + 1]
        if column < len(line) and following < len(self.lines) and self.indent[following] == indent and not self._is_item(following, indent):
            # A missing value with a comment after it, before the next key: ruamel.yaml marks it
            # just after the colon.
            start = (index, after_colon)
        return self._empty(index, indent, in_mapping=in_mapping, start=start)

    def _empty(self, index: int, indent: int, *, in_mapping: bool, start: Position | None) -> tuple[Any, Position, int]:
        """The value of a key or item with nothing after it on its line: the block below, or null."""
        following = self.next_content[index + 1]
        if following < len(self.lines):
            if self.indent[following] > indent:
                return self._block(following)
            if in_mapping and self.indent[following] == indent and self._is_item(following, indent):
                return self._nested(self._sequence, following, indent)
        self._count()
        return None, start if start is not None else self._position_after(index), following

    def _inline(self, index: int, column: int, indent: int, *, in_mapping: bool) -> tuple[Any, Position, int]:
        """A value starting at `column` of line `index`: a scalar, a block scalar, `[…]` or `{}`."""
        line = self.lines[index]
        first = line[column]
        if first == "!":
            return self._tagged(index, column, indent)  # which counts the node it reads
        self._count()
        if first in "|>":
            return self._block_scalar(index, column, indent)
        value: Any
        if first == "[":
            value, end = self._flow_sequence(index, column)
        elif first == "{":
            if not line.startswith("{}", column):
                raise Unsupported
            value = Mapping()
            value.lc = Positions((index, column))
            end = column + 2
        elif first in "\"'":
            value, end = _quoted(line, column), _quoted_end(line, column)
        else:
            if first in _INDICATORS and not (first in "-?:" and column + 1 < len(line) and line[column + 1] != " "):
                raise Unsupported
            if first in "?:":
                raise Unsupported
            text = _plain_text(line, column)
            value, end = _resolve(text), column + len(text)
        return value, (index, column), self._after_value(index, end, indent)

    def _after_value(self, index: int, end: int, indent: int) -> int:
        """The next content line after a value ending at `end` of line `index`; `Unsupported`
        when the line goes on (but for a comment) or the value on the lines below."""
        rest = self.lines[index][end:]
        if rest.strip(" ") and not rest.lstrip(" ").startswith("#") or rest.startswith("#"):
            raise Unsupported
        following = self.next_content[index + 1]
        if following < len(self.lines) and self.indent[following] > indent:
            raise Unsupported  # the scalar goes on over more lines, or the document is invalid
        return following

    def _tagged(self, index: int, column: int, indent: int) -> tuple[Any, Position, int]:
        """The platform's `!include` or `!archive` before a one-line scalar (kept as written, not
        resolved) or a block mapping on the lines below."""
        line = self.lines[index]
        tag = next((name for name in TAGS if line.startswith(name, column)), None)
        after = column + len(tag) if tag else column
        if tag is None or after < len(line) and line[after] != " ":
            raise Unsupported  # a tag of YAML's own, or of nobody's
        at = after
        while at < len(line) and line[at] == " ":
            at += 1
        if at == len(line) or line[at] == "#":
            following = self.next_content[index + 1]
            if following == len(self.lines) or self.indent[following] <= indent or self._is_item(following, self.indent[following]):
                raise Unsupported  # a tagged empty value, or a tagged sequence
            mapping, _, after_block = self._block(following)
            tagged = TaggedMapping(mapping)
            tagged.lc, tagged.tag = mapping.lc, tag
            return tagged, (index, column), after_block
        style = line[at] if line[at] in "\"'" else None
        if style:
            text, end = _quoted(line, at), _quoted_end(line, at)
        else:
            if line[at] in _INDICATORS:
                raise Unsupported
            text = _plain_text(line, at)
            end = at + len(text)
        self._count()
        return TaggedScalar(text, tag, style), (index, column), self._after_value(index, end, indent)

    def _flow_sequence(self, index: int, column: int) -> tuple[Sequence, int]:
        """`[a, "b", 1]` on one line: scalars only."""
        line = self.lines[index]
        sequence = Sequence()
        sequence.lc = Positions((index, column))
        at = column + 1
        while True:
            while at < len(line) and line[at] == " ":
                at += 1
            if at == len(line):
                raise Unsupported
            if line[at] == "]":
                if sequence:
                    raise Unsupported  # a trailing comma
                return sequence, at + 1
            if line[at] in "\"'":
                value, end = _quoted(line, at), _quoted_end(line, at)
            else:
                end = at
                while end < len(line) and line[end] not in ",]":
                    end += 1
                text = line[at:end].rstrip(" ")
                if not text or text[0] in _INDICATORS or any(mark in text for mark in ":#[]{}"):
                    raise Unsupported
                value = _resolve(text)
            self._count()
            sequence.append(value)
            sequence.lc._items.append((index, at))
            while end < len(line) and line[end] == " ":
                end += 1
            if end == len(line):
                raise Unsupported
            if line[end] == "]":
                return sequence, end + 1
            if line[end] != ",":
                raise Unsupported
            at = end + 1

    def _block_scalar(self, index: int, column: int, indent: int) -> tuple[BlockText, Position, int]:
        """`|`, `|-`, `>` or `>-` and the lines below it indented further than `indent`."""
        line = self.lines[index]
        header = _without_comment(line[column:]) if " #" in line[column:] else line[column:].rstrip(" ")
        if header not in ("|", "|-", ">", ">-"):
            raise Unsupported  # keep (`+`) chomping, an explicit indentation, or text after it
        literal, strip = header[0] == "|", header.endswith("-")
        texts: list[str] = []
        content_indent = None
        last_text = index
        at = index + 1
        while at < len(self.lines):
            text_line = self.lines[at]
            if not text_line.strip(" "):
                if text_line and (content_indent is None or len(text_line) > content_indent):
                    # blanks before the text (ruamel.yaml reads them its own way), or blanks
                    # that are content
                    raise Unsupported
                texts.append("")
                at += 1
                continue
            width = self.indent[at]
            if content_indent is None:
                if width <= indent:
                    break
                content_indent = width
            elif width < content_indent:
                break
            if not literal and width > content_indent:
                raise Unsupported  # folding around more-indented lines
            texts.append(text_line[content_indent:])
            last_text = at
            at += 1
        while texts and texts[-1] == "":
            texts.pop()
        if not texts:
            value = ""
        elif literal:
            value = "\n".join(texts)
        else:
            value = _fold(texts)
        if value and not strip and last_text < len(self.lines) - 1:  # a line break to keep
            value += "\n"
        following = self.next_content[at]
        return (LiteralText if literal else FoldedText)(value), (index, column), following


def _plain_text(line: str, column: int) -> str:
    """The plain scalar starting at `column`: the line up to a ` #` comment, blanks stripped."""
    comment = line.find(" #", column)
    text = (line[column:] if comment < 0 else line[column:comment]).rstrip(" ")
    if ": " in text or text.endswith(":"):
        raise Unsupported  # a key where a value belongs
    return text


def _fold(texts: list[str]) -> str:
    """Folded lines: a line break between two text lines is a space; blank lines are breaks."""
    parts: list[str] = []
    breaks = 0
    for text in texts:
        if not text:
            breaks += 1
            continue
        if parts:
            parts.append("\n" * breaks if breaks else " ")
        elif breaks:
            parts.append("\n" * breaks)
        parts.append(text)
        breaks = 0
    return "".join(parts)


_QUOTED = {'"': r'"(?:[^"\\]|\\.)*"', "'": r"'(?:[^']|'')*'"}


def _quoted_end(line: str, column: int) -> int:
    """Just past the closing quote of the scalar quoted at `column`; `Unsupported` if the line
    does not close it."""
    closed = _pattern(_QUOTED[line[column]]).match(line, column)
    if closed is None:
        raise Unsupported  # the scalar goes on over more lines, or is not closed
    return closed.end()


def _quoted(line: str, column: int) -> str:
    """The text of the scalar quoted at `column`: `''` in single quotes, `\\\\` and `\\"` in double
    quotes; other escapes are left to ruamel.yaml."""
    end = _quoted_end(line, column)
    inner = line[column + 1 : end - 1]
    if line[column] == "'":
        return inner.replace("''", "'")
    if "\\" not in inner:
        return inner
    if not _pattern(r'(?:[^\\]|\\["\\/])*').fullmatch(inner):
        raise Unsupported
    return _pattern(r"\\(.)").sub(r"\1", inner)
