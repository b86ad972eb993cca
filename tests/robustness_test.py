"""Every hook against every kind of bad input: one line and exit 1 (or a clean pass where the input
is legitimately empty), quickly, with nothing written and no traceback.

The file each hook is fed is the first path its catalogue pattern must match
(`catalogue_test.FILE_PATTERNS`), so a new rule is covered as soon as it has its rows.
"""

from __future__ import annotations

import os
import re
import resource
import shutil
import tempfile
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hooks.catalogue import RULES
from tests.catalogue_test import FILE_PATTERNS
from tests.conftest import hook_main, tree_digest

ALIAS_BOMB = "a: &a ['x','x','x','x','x','x','x','x','x']\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)}]\n" for i in range(9)
)


def _symlink_loop(path: Path) -> None:
    other = path.parent / "loop"
    path.symlink_to(other)
    other.symlink_to(path)


BAD_INPUTS = {
    "invalid-syntax": lambda p: p.write_text('[[[ {{{ "unterminated\n: - : ]\n'),
    "alias-bomb": lambda p: p.write_text(ALIAS_BOMB),
    "50-mb": lambda p: open(p, "wb").truncate(50 * 1024 * 1024),
    "nul-bytes": lambda p: p.write_bytes(b"a = 1\n\x00\x00\n"),
    "utf16-bom": lambda p: p.write_bytes('[[[ "x\n'.encode("utf-16")),
    "utf16-no-bom": lambda p: p.write_bytes('[[[ "x\n'.encode("utf-16-le")),
    "crlf-invalid": lambda p: p.write_bytes(b'[[[ "x\r\n: ]\r\n'),
    "symlink-loop": _symlink_loop,
    "dangling-symlink": lambda p: p.symlink_to(p.parent / "missing"),
    "directory": lambda p: p.mkdir(),
    "unreadable": lambda p: (p.write_text("x = 1\n"), p.chmod(0)),
    "empty": lambda p: p.write_text(""),
}


# Line-oriented formats report each bad line rather than the whole file.
PER_LINE_RULES = {"requirements-pinned"}
PER_LINE_KINDS = {"invalid-syntax", "alias-bomb", "crlf-invalid", "utf16-bom"}


@pytest.mark.parametrize("kind", sorted(BAD_INPUTS))
@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.id)
def test_bad_input(in_tmp: Path, capsys: pytest.CaptureFixture[str], rule, kind: str) -> None:
    if kind == "unreadable" and os.geteuid() == 0:
        pytest.skip("root reads files whatever their mode")
    name = FILE_PATTERNS[rule.id][0][0]
    path = in_tmp / name
    path.parent.mkdir(parents=True, exist_ok=True)
    BAD_INPUTS[kind](path)
    before = tree_digest(in_tmp)
    main = hook_main(rule)
    peak_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.perf_counter()
    code = main([name])
    elapsed = time.perf_counter() - start
    # The process's high-water mark: a hook that read the 50 MB file or expanded the alias
    # bomb would raise it by that much.
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - peak_before < 40 * 1024
    captured = capsys.readouterr()
    lines = captured.out.splitlines()
    assert captured.err == ""
    assert elapsed < 1.0
    assert tree_digest(in_tmp) == before
    if code == 0:
        assert lines == [] or all(line.count(": note: ") or " note" in line for line in lines)
    else:
        assert code == 1
        assert len([line for line in lines if line.startswith(name + ":") or line.startswith(os.path.dirname(name) or name)]) >= 1
        errors = [line for line in lines if line.startswith(f"{name}:")]
        if kind in PER_LINE_KINDS and rule.id in PER_LINE_RULES:
            # A requirements file is judged line by line: one finding per bad line, never more.
            assert len(errors) == len({line.split(":")[1] for line in errors}), lines
        else:
            assert len(errors) == 1, lines


# --- property-based: arbitrary and mutated bytes never raise out of a hook ---------------------

EXAMPLES = Path(__file__).parent.parent / "examples"


def _watched_files(rule) -> list[str]:
    """Every file of the rule's failing example that the rule watches: each is a parser entry
    point (a manifest and its lock, an app config and the manifests it reaches)."""
    project = EXAMPLES / rule.id / "failing"
    pattern = re.compile(rule.files)
    found = []
    for directory, _, files in sorted(os.walk(project)):
        for name in sorted(files):
            relative = os.path.relpath(os.path.join(directory, name), project).replace(os.sep, "/")
            if pattern.search(relative):
                found.append(relative)
    assert found, f"examples/{rule.id}/failing has no file the rule watches"
    return found


ENTRY_POINTS = [(rule, name) for rule in RULES for name in _watched_files(rule)]


@st.composite
def mutated(draw: st.DrawFn, original: bytes) -> bytes:
    data = bytearray(original)
    for _ in range(draw(st.integers(1, 8))):
        position = draw(st.integers(0, len(data)))
        action = draw(st.sampled_from(["replace", "insert", "delete"]))
        byte = draw(st.sampled_from(b"\x00\xff\r\n\t \"'[]{}=:#-\\*&!|>%@.,0aZ\xc3"))
        if action == "insert" or not data:
            data.insert(position, byte)
        elif action == "replace":
            data[min(position, len(data) - 1)] = byte
        else:
            del data[min(position, len(data) - 1)]
    return bytes(data)


@pytest.mark.parametrize(("rule", "name"), ENTRY_POINTS, ids=[f"{rule.id}:{name}" for rule, name in ENTRY_POINTS])
def test_arbitrary_and_mutated_files_never_raise(rule, name: str) -> None:
    project = EXAMPLES / rule.id / "failing"
    original = (project / name).read_bytes()
    main = hook_main(rule)

    @settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(st.one_of(st.binary(max_size=400), mutated(original)))
    def check(content: bytes) -> None:
        with tempfile.TemporaryDirectory() as scratch:
            copy = Path(scratch, "project")
            shutil.copytree(project, copy, symlinks=True)
            (copy / name).write_bytes(content)
            cwd = os.getcwd()
            os.chdir(copy)
            try:
                assert main([name]) in (0, 1)
            finally:
                os.chdir(cwd)

    check()


def test_a_mutated_environment_file_never_raises() -> None:
    """`.environment` is read by platform-poetry-env when Poetry runs after the build."""
    from hooks.entry_points import platform_poetry_env as main

    config = (
        "name: app\ntype: 'python:3.12'\nvariables:\n  env:\n    POETRY_VIRTUALENVS_IN_PROJECT: true\n    POETRY_VIRTUALENVS_CREATE: true\n"
        "hooks:\n  build: |\n    set -eu\n    curl -sSL https://install.python-poetry.org | python3 - --version 1.8.5\n"
        "  deploy: poetry run python manage.py migrate\n"
    )
    original = b'if [ -n "$POETRY_VERSION" ]; then\n    export PATH="/app/.local/bin:$PATH"\nfi\n'

    @settings(max_examples=60, deadline=None)
    @given(st.one_of(st.binary(max_size=300), mutated(original)))
    def check(content: bytes) -> None:
        with tempfile.TemporaryDirectory() as scratch:
            Path(scratch, ".platform.app.yaml").write_text(config)
            Path(scratch, ".environment").write_bytes(content)
            cwd = os.getcwd()
            os.chdir(scratch)
            try:
                assert main([".environment"]) in (0, 1)
            finally:
                os.chdir(cwd)

    check()
