from __future__ import annotations

import builtins
import os
import time
from pathlib import Path

import pytest

from hooks import reading
from hooks.findings import InputError


def error_of(path: str) -> InputError:
    with pytest.raises(InputError) as caught:
        reading.read_text(path)
    return caught.value


@pytest.mark.parametrize(
    ("content", "text"),
    [
        pytest.param(b"a\nb\n", "a\nb\n", id="utf8"),
        pytest.param(b"\xef\xbb\xbfa\n", "a\n", id="utf8-bom"),
        pytest.param(b"a\r\nb\r\n", "a\nb\n", id="crlf"),
        pytest.param("a\nb\n".encode("utf-16"), "a\nb\n", id="utf16-bom"),
        pytest.param(b"\xfe\xff" + "a\n".encode("utf-16-be"), "a\n", id="utf16-be-bom"),
        pytest.param("a\n".encode("utf-32"), "a\n", id="utf32-bom"),
        pytest.param("café\n".encode(), "café\n", id="non-ascii"),
        pytest.param(b"", "", id="empty"),
    ],
)
def test_decodes(tmp_path: Path, content: bytes, text: str) -> None:
    path = tmp_path / "f.txt"
    path.write_bytes(content)
    assert reading.read_text(str(path)) == text


@pytest.mark.parametrize(
    ("make", "message"),
    [
        pytest.param(lambda p: None, "does not exist", id="missing"),
        pytest.param(lambda p: p.mkdir(), "is a directory, not a file", id="directory"),
        pytest.param(lambda p: p.symlink_to(p.parent / "gone"), "is a symlink to", id="dangling-symlink"),
        pytest.param(lambda p: (p.symlink_to(p.parent / "loop"), (p.parent / "loop").symlink_to(p)), "cannot be read", id="symlink-loop"),
        pytest.param(lambda p: os.mkfifo(p), "is not a regular file", id="fifo-would-block"),
        pytest.param(lambda p: p.write_bytes("x\n".encode("utf-16-le") * 4), "looks like UTF-16 without a byte-order mark", id="utf16-no-bom"),
        pytest.param(lambda p: p.write_bytes(b"a\n\x00b"), "contains a NUL character", id="nul"),
        pytest.param(lambda p: p.write_bytes(b"a\n\xc3\x28"), "is not valid UTF-8", id="bad-utf8"),
    ],
)
def test_refuses_with_one_line(tmp_path: Path, make, message: str) -> None:
    path = tmp_path / "f.txt"
    make(path)
    error = error_of(str(path))
    assert message in error.message
    assert "\n" not in str(error.finding("rule"))


def test_unreadable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Tests may run as root, who reads every file whatever its mode: make open() refuse instead.
    path = tmp_path / "f.txt"
    path.write_text("x")

    def refuse(*args: object, **kwargs: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(builtins, "open", refuse)
    assert error_of(str(path)).message == "cannot be read: Permission denied"


def test_a_50_mb_file_is_refused_without_reading_it(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    with open(path, "wb") as handle:
        handle.truncate(50 * 1024 * 1024)
    start = time.perf_counter()
    error = error_of(str(path))
    assert time.perf_counter() - start < 0.1
    assert error.message.startswith("is 52 MB, over lockguard's 16 MiB limit")


def test_line_of_the_error(tmp_path: Path) -> None:
    path = tmp_path / "f.txt"
    path.write_bytes(b"a\nb\nc\x00\n")
    assert error_of(str(path)).line == 3


def test_a_changed_file_is_read_again(tmp_path: Path) -> None:
    path = tmp_path / "f.txt"
    path.write_text("one\n")
    assert reading.read_text(str(path)) == "one\n"
    path.write_text("two, longer\n")
    assert reading.read_text(str(path)) == "two, longer\n"


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("a = 1\nb = \n", 2, "is not valid TOML: Invalid value"),
        ("[x]\n[x]\n", 2, "is not valid TOML: Cannot declare"),
        ('d = 1979-05-27T07:32:00Z\nq = "unterminated\n', 2, "is not valid TOML"),
    ],
)
def test_toml_errors_carry_the_line(tmp_path: Path, text: str, line: int, message: str) -> None:
    path = tmp_path / "f.toml"
    path.write_text(text)
    with pytest.raises(InputError) as caught:
        reading.read_toml(str(path))
    assert caught.value.line == line
    assert caught.value.message.startswith(message)


def test_json_errors_carry_the_line(tmp_path: Path) -> None:
    path = tmp_path / "f.json"
    path.write_text('{\n  "a": 1,\n  "b": \n}\n')
    with pytest.raises(InputError) as caught:
        reading.read_json(str(path))
    assert (caught.value.line, caught.value.message) == (4, "is not valid JSON: Expecting value")


def test_deeply_nested_json_is_an_error_not_a_crash(tmp_path: Path) -> None:
    path = tmp_path / "f.json"
    path.write_text("[" * 100_000)
    with pytest.raises(InputError):
        reading.read_json(str(path))
