"""conda environment files: each dependency's name, version and build, with its line.

A dependency is a conda MatchSpec (`numpy`, `numpy=1.26.4`, `numpy==1.26.4=py311h64a7726_0`,
`conda-forge::numpy>=1.26`, `numpy 1.26.4 py311_0`, `numpy[version='>=1.26']`) or the `pip:`
list, which pip reads as requirement lines. `conda list --explicit` files (`@EXPLICIT`, one
package URL per line) and conda-lock files pin every package by construction.
"""

from __future__ import annotations

import re
from typing import Any, NamedTuple

from hooks import reading
from hooks.findings import InputError
from hooks.models import platform_yaml as yaml


# Named tuples, not dataclasses: `dataclasses` (with `inspect`) would cost conda-env-pinned
# several milliseconds of start-up.
class Spec(NamedTuple):
    line: int
    text: str
    name: str
    version: str  # "" when none
    exact: bool  # one version (conda's `=1.26.4` names one release line's version exactly)


class Environment(NamedTuple):
    path: str
    specs: tuple[Spec, ...]
    pip: dict[int, str]  # line -> requirement line of the `pip:` list
    locked: str | None  # "@EXPLICIT" or "conda-lock" when the file pins everything itself


_MATCHSPEC = re.compile(r"^(?:(?P<channel>[^:\s]+)::)?(?P<name>[A-Za-z0-9_.\-]+)(?P<rest>.*)$")
_LOOSE = re.compile(r"[*<>!~,|^]")
# The first line that is neither blank nor a comment.
_FIRST_CONTENT = re.compile(r"^[^\S\n]*([^#\s][^\n]*)", re.MULTILINE)


def _bracket(rest: str) -> str | None:
    """What is between the first `[` and the final `]` of the last line (`[version='>=1.26']`), or
    None. Found by position: a pattern that retries `.*` from every `[` is quadratic in a spec
    of many brackets."""
    if not rest.endswith("]"):
        return None
    start = rest.find("[", rest.rfind("\n") + 1, len(rest) - 1)
    return rest[start + 1 : -1] if start != -1 else None


def parse_spec(text: str, line: int) -> Spec:
    stripped = text.strip()
    # `.*$` cannot cross a newline: the pattern would fail, after retrying `.*` from every
    # shorter name (quadratic in a long name).
    match = _MATCHSPEC.match(stripped) if "\n" not in stripped else None
    if match is None:
        return Spec(line, text, text, "", False)
    name, rest = match["name"], match["rest"].strip()
    inside = _bracket(rest)
    if inside is not None:
        declared = re.search(r"version\s*=\s*['\"]?([^'\",\]]+)", inside)
        rest = declared[1] if declared else ""
    if rest.startswith("=="):
        rest = rest[2:]
    elif rest.startswith("=") and not rest.startswith(("=<", "=>")):
        rest = rest[1:]
    elif rest[:1] in ("<", ">", "!", "~", "^"):
        return Spec(line, text, name, rest, False)  # a range
    # `1.26.4=py311h…` or `1.26.4 py311_0`: a version, then a build string.
    version = re.split(r"[=\s]", rest.strip(), maxsplit=1)[0] if rest.strip() else ""
    exact = bool(version) and not _LOOSE.search(version) and re.match(r"^[0-9A-Za-z]", version) is not None
    return Spec(line, text, name, version, exact)


def read(path: str) -> Environment:
    text = reading.read_text(path)
    first = _FIRST_CONTENT.search(text)
    if first is not None and first[1].strip() == "@EXPLICIT":
        return Environment(path, (), {}, "@EXPLICIT")
    data = yaml.parse(path, text)
    if data is None:
        return Environment(path, (), {}, None)
    if not isinstance(data, dict):
        raise InputError(path, "is not a mapping with `name`, `channels` and `dependencies`")
    if isinstance(data.get("package"), list) and "metadata" in data:
        return Environment(path, (), {}, "conda-lock")
    dependencies = data.get("dependencies", [])
    if dependencies is None:
        return Environment(path, (), {}, None)
    if not isinstance(dependencies, list):
        raise InputError(path, "`dependencies` is not a list", yaml.key_line(data, "dependencies", 1))
    specs: list[Spec] = []
    pip: dict[int, str] = {}
    for index, item in enumerate(dependencies):
        line = yaml.item_line(dependencies, index, 1)
        if isinstance(item, str):
            specs.append(parse_spec(item, line))
        elif isinstance(item, dict) and list(item) == ["pip"]:
            entries = item["pip"] or []
            if not isinstance(entries, list):
                raise InputError(path, "the `pip:` entry is not a list of requirements", line)
            for position, entry in enumerate(entries):
                if not isinstance(entry, str):
                    raise InputError(path, "the `pip:` list holds something that is not a requirement line", yaml.item_line(entries, position, line))
                pip[yaml.item_line(entries, position, line)] = entry
        elif isinstance(item, (int, float)) and not isinstance(item, bool):
            specs.append(parse_spec(str(item), line))
        else:
            raise InputError(path, "a dependency is neither a package spec nor the `pip:` list", line)
    return Environment(path, tuple(specs), pip, None)


def is_conda_lock(data: Any) -> bool:
    return isinstance(data, dict) and isinstance(data.get("package"), list) and "metadata" in data
