"""Atomic writing: the only way lockguard changes a file, and only under an explicit fix option."""
from __future__ import annotations

import os
import tempfile

from hooks import reading


class Refused(Exception):
    """A file lockguard will not rewrite: the message says why, on one line, after the path."""


def write_atomic(path: str, text: str) -> None:
    """Replace `path` with `text` (UTF-8) in one step: readers see the old or the new file.

    `text` has LF line ends, as `reading.read_text` gives; a file that used CRLF keeps CRLF.
    """
    if os.path.exists(path) and b"\r\n" in reading.read_bytes(path):
        text = text.replace("\n", "\r\n")
    directory = os.path.dirname(os.path.abspath(path))
    mode = os.stat(path).st_mode & 0o7777 if os.path.exists(path) else 0o644
    fd, temporary = tempfile.mkstemp(dir=directory, prefix=".lockguard-", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
        os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException:
        os.unlink(temporary)
        raise
    reading.forget(path)
