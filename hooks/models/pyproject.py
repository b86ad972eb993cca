"""pyproject.toml: the PEP 621 `[project]`, `[dependency-groups]` and the `[tool.*]` tables of
Poetry, uv, PDM and lockguard, read once per run and handed out as plain tables.

A table of the wrong type reads as absent here (each tool reports its own shape errors where it
judges them); `line_of` points a finding at a key.
"""

from __future__ import annotations

from collections import namedtuple

from hooks import reading

# Imported for type checkers only: `typing` costs a hook several milliseconds of start-up.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


def _table(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


class Pyproject(namedtuple("Pyproject", ("path", "text", "data"))):
    """`path`, its `text` (LF line ends) and the parsed `data`."""

    __slots__ = ()

    @property
    def project(self) -> dict[str, Any]:
        return _table(self.data.get("project"))

    @property
    def dependency_groups(self) -> dict[str, Any]:
        return _table(self.data.get("dependency-groups"))

    def tool(self, name: str) -> dict[str, Any] | None:
        """`[tool.<name>]`, or None when absent or not a table."""
        value = _table(self.data.get("tool")).get(name)
        return value if isinstance(value, dict) else None

    @property
    def poetry(self) -> dict[str, Any]:
        return self.tool("poetry") or {}

    @property
    def requires_python(self) -> str | None:
        value = self.project.get("requires-python")
        return value if isinstance(value, str) else None

    @property
    def poetry_python(self) -> str | None:
        """Poetry's `python` dependency constraint (`^3.11`), as written."""
        python = _table(self.poetry.get("dependencies")).get("python")
        if isinstance(python, dict):
            python = python.get("version")
        return python if isinstance(python, str) else None

    def line_of(self, key: str) -> int:
        """The first line assigning `key` (`requires-python`), or 1."""
        return reading.line_of(self.text, rf"^[ \t]*{key}[ \t]*=")


def read(path: str) -> Pyproject:
    """The pyproject at `path`; `InputError` when it cannot be read or is not valid TOML."""
    return Pyproject(path, reading.read_text(path), reading.read_toml(path))
