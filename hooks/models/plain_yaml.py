"""YAML's block style as app configurations and conda environments are written, read without
ruamel.yaml (work in progress: the reader itself lands next)."""

from __future__ import annotations


class BlockText(str):
    """A block scalar's text (`|` or `>`)."""

    __slots__ = ()


class LiteralText(BlockText):
    __slots__ = ()


class FoldedText(BlockText):
    __slots__ = ()
